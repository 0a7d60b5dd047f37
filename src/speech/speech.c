/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * espeak-ng behind one mutex. espeak-ng is started on first use in synchronous mode: the synth
 * callback receives the samples on the calling thread and appends them to the struct buf passed
 * as user_data. Each supported language is probed once, because espeak-ng happily loads a voice
 * whose dictionary is missing and then speaks silence.
 */
#include "core/compat.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "speech/speech.h"

/* Slower than espeak-ng's 175: kinder to listeners who do not read, or not in this language. */
#define SPEECH_RATE_WPM 140
/* Digits are spoken from each language's dictionary, so they also prove the dictionary loaded. */
#define SPEECH_PROBE_TEXT "1 2 3"

enum speech_state { SPEECH_UNINIT, SPEECH_READY, SPEECH_FAILED, SPEECH_DOWN };
enum speech_probe { SPEECH_PROBE_UNKNOWN, SPEECH_PROBE_YES, SPEECH_PROBE_NO };

struct speech_voice {
    const char *lang;   /* BCP 47 primary subtag, lower case */
    const char *espeak; /* espeak-ng voice name */
    /* written under speech_lock; atomic so that speech_has_voice() reads a known answer without
     * waiting for a synthesis in progress */
    _Atomic(enum speech_probe) probe;
};

/* Samples of one synthesis; lives on the caller's stack for the duration of espeak_Synth(). */
struct speech_sink {
    struct buf pcm;
    enum err rc;
};

/* All of the following, and every call into espeak-ng, are guarded by speech_lock (the state is
 * also read without it, hence atomic). */
static pthread_mutex_t speech_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(enum speech_state) speech_state = SPEECH_UNINIT;
static int speech_rate_hz;
static struct speech_voice speech_voices[] = {
    {"nl", "nl", SPEECH_PROBE_UNKNOWN}, {"en", "en", SPEECH_PROBE_UNKNOWN},
    {"ar", "ar", SPEECH_PROBE_UNKNOWN}, {"fa", "fa", SPEECH_PROBE_UNKNOWN},
    {"tr", "tr", SPEECH_PROBE_UNKNOWN}, {"uk", "uk", SPEECH_PROBE_UNKNOWN},
};

static struct speech_voice *speech_voice_find(const char *lang)
{
    char primary[4];
    size_t n = 0;

    if (!lang) {
        return NULL;
    }
    while (lang[n] && lang[n] != '-' && lang[n] != '_' && n < sizeof(primary) - 1) {
        n++;
    }
    if (n < 2 || (lang[n] && lang[n] != '-' && lang[n] != '_')) {
        return NULL;
    }
    str_lower_ascii(lang, n, primary);
    for (size_t i = 0; i < ARRAY_SIZE(speech_voices); i++) {
        if (strcmp(speech_voices[i].lang, primary) == 0) {
            return &speech_voices[i];
        }
    }
    return NULL;
}

static enum err speech_add_samples(struct buf *pcm, const short *wav, int n)
{
    unsigned char chunk[1024];
    size_t used = 0;
    enum err rc = ERR_OK;

    for (int i = 0; i < n && !rc; i++) {
        uint16_t s = (uint16_t)wav[i];
        chunk[used++] = (unsigned char)(s & 0xFF);
        chunk[used++] = (unsigned char)(s >> 8);
        if (used == sizeof(chunk) || i == n - 1) {
            rc = buf_add(pcm, chunk, used);
            used = 0;
        }
    }
    return rc;
}

/* espeak-ng's synth callback: returning 1 stops the synthesis. */
static int speech_on_samples(short *wav, int n, espeak_EVENT *events)
{
    struct speech_sink *sink = events ? events->user_data : NULL;

    if (!sink) {
        return 1; /* not seen: espeak-ng copies user_data into every event */
    }
    if (!sink->rc && wav && n > 0) {
        sink->rc = speech_add_samples(&sink->pcm, wav, n);
    }
    return sink->rc ? 1 : 0;
}

/*
 * espeak_Initialize() with espeakINITIALIZE_DONT_EXIT prints a failure and carries on, and the
 * next voice selection then dies of SIGFPE; its parts, called here, report the failure.
 */
static void speech_start_locked(void)
{
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    espeak_ng_STATUS st;
    char msg[160];

    espeak_ng_InitializePath(NULL);
    st = espeak_ng_Initialize(&ctx);
    if (st == ENS_OK) {
        st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
    }
    if (st != ENS_OK) {
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof(msg));
        log_error("msg=\"speech engine unavailable\" status=0x%x detail=\"%s\"", (unsigned)st, msg);
        espeak_ng_ClearErrorContext(&ctx);
        speech_state = SPEECH_FAILED;
        return;
    }
    espeak_SetSynthCallback(speech_on_samples);
    speech_rate_hz = espeak_ng_GetSampleRate();
    speech_state = SPEECH_READY;
}

static bool speech_ready_locked(void)
{
    if (speech_state == SPEECH_UNINIT) {
        speech_start_locked();
    }
    return speech_state == SPEECH_READY;
}

/* Synthesises text with the selected voice into sink; the text must be NUL-terminated. */
static enum err speech_run_locked(const char *text, struct speech_sink *sink)
{
    espeak_ERROR e =
        espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, sink);
    if (sink->rc) {
        return sink->rc;
    }
    return e == EE_OK ? ERR_OK : ERR_INTERNAL;
}

static enum err speech_select_locked(const struct speech_voice *v)
{
    if (espeak_SetVoiceByName(v->espeak) != EE_OK) {
        return ERR_NOT_FOUND;
    }
    if (espeak_SetParameter(espeakRATE, SPEECH_RATE_WPM, 0) != EE_OK) {
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

/* A quarter of a second of sound for the probe; a voice without its dictionary gives ~7 ms. */
static bool speech_probe_locked(const struct speech_voice *v)
{
    struct speech_sink sink = {BUF_INIT(SPEECH_PCM_MAX), ERR_OK};
    bool ok = false;

    if (speech_select_locked(v)) {
        goto out;
    }
    if (speech_run_locked(SPEECH_PROBE_TEXT, &sink)) {
        goto out;
    }
    ok = sink.pcm.len / 2 >= (size_t)speech_rate_hz / 4;
out:
    if (!ok) {
        log_warn("msg=\"speech voice unusable\" lang=%s", v->lang);
    }
    buf_release(&sink.pcm);
    return ok;
}

static bool speech_usable_locked(struct speech_voice *v)
{
    if (!speech_ready_locked()) {
        return false;
    }
    if (v->probe == SPEECH_PROBE_UNKNOWN) {
        v->probe = speech_probe_locked(v) ? SPEECH_PROBE_YES : SPEECH_PROBE_NO;
    }
    return v->probe == SPEECH_PROBE_YES;
}

bool speech_has_voice(const char *lang)
{
    struct speech_voice *v = speech_voice_find(lang);
    bool ok;

    if (!v) {
        return false;
    }
    if (speech_state == SPEECH_READY && v->probe != SPEECH_PROBE_UNKNOWN) {
        return v->probe == SPEECH_PROBE_YES; /* known: no need to wait for the engine */
    }
    pthread_mutex_lock(&speech_lock);
    ok = speech_usable_locked(v);
    pthread_mutex_unlock(&speech_lock);
    return ok;
}

static enum err speech_check_text(const char *text)
{
    size_t len;
    bool blank = true;

    if (!text) {
        return ERR_INVALID;
    }
    len = strnlen(text, SPEECH_TEXT_MAX + 1);
    if (len > SPEECH_TEXT_MAX || !str_is_clean_utf8(text, len, true)) {
        return ERR_INVALID;
    }
    for (size_t i = 0; i < len && blank; i++) {
        blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n';
    }
    return blank ? ERR_INVALID : ERR_OK;
}

/* Synthesises text with voice v into sink and reports the sample rate it used. wait false:
 * ERR_BUSY at once when another synthesis holds the engine. */
static enum err speech_synth_pcm(struct speech_voice *v, const char *text, struct speech_sink *sink,
                                 int *rate_hz, bool wait)
{
    enum err rc;

    if (!wait) {
        if (pthread_mutex_trylock(&speech_lock)) {
            return ERR_BUSY;
        }
    } else {
        pthread_mutex_lock(&speech_lock);
    }
    if (!speech_usable_locked(v)) {
        rc = speech_state == SPEECH_READY ? ERR_NOT_FOUND : ERR_INTERNAL;
        goto out_unlock;
    }
    rc = speech_select_locked(v);
    if (rc) {
        rc = ERR_INTERNAL;
        goto out_unlock;
    }
    rc = speech_run_locked(text, sink);
    *rate_hz = speech_rate_hz;
out_unlock:
    pthread_mutex_unlock(&speech_lock);
    return rc;
}

static void speech_put_u16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void speech_put_u32(unsigned char *p, uint32_t v)
{
    speech_put_u16(p, v & 0xFFFF);
    speech_put_u16(p + 2, v >> 16);
}

/* The canonical 44-byte header: RIFF, a 16-byte PCM fmt chunk, then the data chunk. */
static void speech_wav_header(unsigned char h[SPEECH_WAV_HEADER_LEN], uint32_t rate_hz,
                              uint32_t data_len)
{
    memcpy(h, "RIFF", 4);
    speech_put_u32(h + 4, SPEECH_WAV_HEADER_LEN - 8 + data_len);
    memcpy(h + 8, "WAVEfmt ", 8);
    speech_put_u32(h + 16, 16);
    speech_put_u16(h + 20, 1); /* PCM */
    speech_put_u16(h + 22, 1); /* mono */
    speech_put_u32(h + 24, rate_hz);
    speech_put_u32(h + 28, rate_hz * 2); /* bytes per second */
    speech_put_u16(h + 32, 2);           /* bytes per frame */
    speech_put_u16(h + 34, 16);          /* bits per sample */
    memcpy(h + 36, "data", 4);
    speech_put_u32(h + 40, data_len);
}

static enum err speech_wav_append(struct buf *out, const struct buf *pcm, int rate_hz)
{
    unsigned char h[SPEECH_WAV_HEADER_LEN];

    /* both parts are checked first, so that out is either complete or untouched */
    if (pcm->len > out->max - out->len || SPEECH_WAV_HEADER_LEN > out->max - out->len - pcm->len) {
        return ERR_TOO_LARGE;
    }
    speech_wav_header(h, (uint32_t)rate_hz, (uint32_t)pcm->len);
    if (buf_add(out, h, sizeof(h)) || buf_add(out, pcm->ptr, pcm->len)) {
        BUG("speech_wav_append: no room after the room check");
    }
    return ERR_OK;
}

static enum err speech_synth(const char *lang, const char *text, struct buf *out, bool wait)
{
    struct speech_sink sink = {BUF_INIT(SPEECH_PCM_MAX), ERR_OK};
    struct speech_voice *v = speech_voice_find(lang);
    int rate_hz = 0;
    enum err rc;

    rc = speech_check_text(text);
    if (rc) {
        goto out;
    }
    if (!v) {
        rc = ERR_NOT_FOUND;
        goto out;
    }
    rc = speech_synth_pcm(v, text, &sink, &rate_hz, wait);
    if (rc) {
        goto out;
    }
    rc = speech_wav_append(out, &sink.pcm, rate_hz);
out:
    buf_release(&sink.pcm);
    return rc;
}

enum err speech_synth_wav(const char *lang, const char *text, struct buf *out)
{
    return speech_synth(lang, text, out, true);
}

enum err speech_synth_wav_try(const char *lang, const char *text, struct buf *out)
{
    return speech_synth(lang, text, out, false);
}

void speech_shutdown(void)
{
    pthread_mutex_lock(&speech_lock);
    if (speech_state == SPEECH_READY || speech_state == SPEECH_FAILED) {
        /* joins espeak-ng's idle fifo thread and frees voices, dictionaries and phoneme data */
        espeak_Terminate();
    }
    speech_state = SPEECH_DOWN;
    pthread_mutex_unlock(&speech_lock);
}
