/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Read-aloud: text in one of the supported languages to a WAV file, through espeak-ng. Only
 * src/speech/ includes espeak-ng's headers. espeak-ng keeps its state in globals, so the module
 * serialises every call into it with one mutex; it starts on first use and stops at
 * speech_shutdown(). No text is ever logged.
 */
#ifndef VK_SPEECH_H
#define VK_SPEECH_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"

/* Longest text speech_synth_wav() accepts, in bytes of UTF-8. */
#define SPEECH_TEXT_MAX 2000
/* Largest PCM payload one synthesis may produce (about three minutes at 22050 Hz). */
#define SPEECH_PCM_MAX        ((size_t)8 * 1024 * 1024)
#define SPEECH_WAV_HEADER_LEN 44
/* A buffer with at least this much room holds any WAV speech_synth_wav() can produce. */
#define SPEECH_WAV_MAX (SPEECH_PCM_MAX + SPEECH_WAV_HEADER_LEN)

/*
 * Whether read-aloud works for this BCP 47 tag: the primary subtag (case-insensitive; a region
 * or script subtag is ignored, so "fa-AF" is "fa") must be one of nl, en, ar, fa, tr, uk, and
 * espeak-ng must actually speak it on this machine (voice and dictionary loaded, a probe phrase
 * produces sound). The probe runs once per language. NULL, "ti", "so" and anything else: false.
 * Starts espeak-ng on first use. Thread-safe; once a language was probed, answers without
 * waiting for a synthesis in progress.
 */
bool speech_has_voice(const char *lang);

/*
 * Speaks text (UTF-8, borrowed) in lang and appends one complete WAV file to out: RIFF/WAVE,
 * PCM 16-bit little-endian mono at espeak-ng's sample rate, speaking rate about 140 words per
 * minute. Text is plain: no SSML and no phoneme input.
 *   ERR_NOT_FOUND  speech_has_voice(lang) is false;
 *   ERR_INVALID    text is NULL, empty or blank, longer than SPEECH_TEXT_MAX bytes, not valid
 *                  UTF-8, or holds control characters other than tab, CR and LF;
 *   ERR_TOO_LARGE  the audio would exceed SPEECH_PCM_MAX, or out's cap;
 *   ERR_INTERNAL   espeak-ng failed to start or to synthesise, or speech_shutdown() was called.
 * On any error out is left as it was. Thread-safe; concurrent calls run one at a time.
 */
enum err speech_synth_wav(const char *lang, const char *text, struct buf *out);
/*
 * As speech_synth_wav(), but never waits for another synthesis: ERR_BUSY at once while one is
 * running (for a server thread, which must not stall behind the one engine).
 */
enum err speech_synth_wav_try(const char *lang, const char *text, struct buf *out);

/*
 * Stops espeak-ng and frees its state. Call once, at shutdown, after the last speech call has
 * returned; afterwards speech_has_voice() is false and speech_synth_wav() gives ERR_INTERNAL
 * (espeak-ng 1.51 cannot be started again in the same process: a second espeak_Terminate()
 * hangs).
 */
void speech_shutdown(void);

#endif
