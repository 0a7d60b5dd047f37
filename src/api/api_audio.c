/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Read-aloud audio for instrument texts: an uploaded recording when there is one, else speech
 * synthesised once by espeak-ng and cached by the hash of its text. Synthesis runs outside any
 * transaction, so it never holds the write lock.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/buf.h"
#include "core/sec.h"
#include "screening/screening.h"
#include "speech/speech.h"

struct audio_probe {
    struct store_conn *c;
    const struct screen_instrument *in;
    const char *lang;
    bool voice;
};

/* Whether a play button can work for this key: a recording, or a voice for the language. */
static bool audio_available(void *ctx, const char *key)
{
    struct audio_probe *p = ctx;
    return p->voice || store_audio_exists(p->c, p->in->id, p->lang, key, "recording");
}

json_t *api__instrument_view(struct api_req *r, const struct screen_instrument *in,
                             const char *lang)
{
    struct audio_probe p = {r->conn, in, lang, speech_has_voice(lang)};
    return screen_view_localised(in, lang, audio_available, &p);
}

static enum err audio_cached(struct api_req *r, const struct screen_instrument *in,
                             const char *lang, const char *key,
                             const unsigned char hash[SEC_HASH_BYTES])
{
    char source[16];
    enum err rc = store_begin(r->conn, false);
    if (!rc) {
        rc = store_audio_get(r->conn, in->id, lang, key, hash, source, sizeof(source), &r->raw,
                             &r->raw_len);
        store_rollback(r->conn);
    }
    return rc;
}

static enum err audio_synthesise(struct api_req *r, const struct screen_instrument *in,
                                 const char *lang, const char *key, const char *text,
                                 const unsigned char hash[SEC_HASH_BYTES])
{
    struct buf wav = BUF_INIT(8 * 1024 * 1024);
    enum err rc = speech_synth_wav(lang, text, &wav);

    if (!rc) {
        rc = store_begin(r->conn, true);
        rc = rc ? rc
                : store_audio_put(r->conn, in->id, lang, key, hash, "tts",
                                  (const unsigned char *)wav.ptr, wav.len);
        rc = rc ? rc : store_commit(r->conn);
        if (rc) {
            store_rollback(r->conn);
        }
    }
    if (!rc) {
        r->raw = (unsigned char *)buf_detach(&wav, &r->raw_len);
    }
    buf_release(&wav);
    return rc;
}

enum err api_instruments_audio(struct api_req *r)
{
    const struct screen_instrument *in = screen_registry_find(r->registry, r->params[0], NULL);
    const char *lang = r->params[1], *key = r->params[2], *text;
    unsigned char hash[SEC_HASH_BYTES];
    enum err rc;

    if (!in || !screen_offers_language(in, lang) || !(text = screen_text_for_key(in, lang, key))) {
        return ERR_NOT_FOUND;
    }
    sec_hash(text, strlen(text), hash);
    rc = audio_cached(r, in, lang, key, hash);
    if (rc == ERR_NOT_FOUND && speech_has_voice(lang)) {
        rc = audio_synthesise(r, in, lang, key, text, hash);
    }
    if (!rc) {
        r->raw_type = "audio/wav";
    }
    return rc;
}
