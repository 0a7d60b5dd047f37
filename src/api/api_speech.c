/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Read aloud of a text the screen shows (docs/API.md "Read aloud"): POST /api/v1/speech
 * {lang, text} -> audio/wav from espeak-ng, and GET /api/v1/speech/voices. For any session (a
 * client too). The text may be about a client (a route card, a referral confirmation), so it is
 * never stored, never logged (the access log has the route template only) and the answer is
 * Cache-Control: no-store. Synthesis runs outside any transaction (TX_NONE), as in api_audio.c,
 * so it never holds the write lock, and never waits for the one engine: while another text is
 * being spoken the answer is 503 with Retry-After: 1.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/buf.h"
#include "speech/speech.h"

/* Strings in the body may be longer than the text cap, so that an over-long text gets a clear
 * 422 at /text rather than a generic 400; the server's body limit still answers 413. */
#define SPEECH_BODY_STRING_MAX (64u * 1024u)

/* Every language the UI offers; the answer lists those with a working voice. */
static const char *const speech_langs[] = {"nl", "en", "ar", "fa", "ti", "so", "tr", "uk"};

enum err api_speech_voices(struct api_req *r)
{
    json_t *langs = json_array();

    for (size_t i = 0; i < ARRAY_SIZE(speech_langs); i++) {
        if (speech_has_voice(speech_langs[i])) {
            json_array_append_new(langs, json_string(speech_langs[i]));
        }
    }
    r->resp = json_pack("{s:o}", "languages", langs);
    return r->resp ? ERR_OK : ERR_NOMEM;
}

/* {lang, text} into *lang and *text (borrowed from body); pointers in r->verr. */
static void speech_input(struct api_req *r, json_t *body, const char **lang, const char **text)
{
    static const char *const allowed[] = {"lang", "text", NULL};
    json_t *t;

    api__reject_unknown(body, allowed, &r->verr);
    *lang = api__string(body, "lang", 35, true, &r->verr);
    *text = NULL;
    t = json_object_get(body, "text");
    if (!json_is_string(t) || json_string_length(t) == 0) {
        verr_add(&r->verr, "/text", "required: the text to read aloud");
    } else if (json_string_length(t) > SPEECH_TEXT_MAX) {
        verr_add(&r->verr, "/text", "at most %d bytes of UTF-8", SPEECH_TEXT_MAX);
    } else {
        *text = json_string_value(t);
    }
}

enum err api_speech(struct api_req *r)
{
    struct buf wav = BUF_INIT(SPEECH_WAV_MAX);
    const char *lang = NULL, *text = NULL;
    json_t *body = NULL;
    enum err rc = api__body_object_cap(r, SPEECH_BODY_STRING_MAX, &body);

    if (rc) {
        return rc;
    }
    speech_input(r, body, &lang, &text);
    if (r->verr.n) {
        rc = ERR_INVALID;
        goto out;
    }
    if (!speech_has_voice(lang)) {
        snprintf(r->detail, sizeof(r->detail),
                 "no read-aloud voice for language \"%.35s\"; GET /api/v1/speech/voices lists them",
                 lang);
        rc = ERR_NOT_FOUND;
        goto out;
    }
    rc = speech_synth_wav_try(lang, text, &wav);
    if (rc == ERR_BUSY) {
        /* one engine: a worker thread never waits behind another synthesis */
        r->retry_after_s = 1;
        snprintf(r->detail, sizeof(r->detail),
                 "read aloud is busy with another text; try again in a second");
        goto out;
    }
    if (rc == ERR_INVALID) {
        verr_add(&r->verr, "/text",
                 "must be plain text: not blank, valid UTF-8, no control "
                 "characters");
        goto out;
    }
    if (!rc) {
        r->raw = (unsigned char *)buf_detach(&wav, &r->raw_len);
        r->raw_type = "audio/wav";
        r->raw_no_store = true;
    }
out:
    buf_release(&wav);
    json_decref(body);
    return rc;
}
