/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Read-aloud through the real espeak-ng: WAV headers that agree with the data, audible speech in
 * Dutch, Arabic and Persian, refusals for languages without a voice and for bad text, the caps,
 * and two threads at once. The group teardown calls speech_shutdown(), so LeakSanitizer checks
 * that espeak-ng's state is freed.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "speech/speech.h"

static uint32_t le16(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8;
}

static uint32_t le32(const char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* Checks the header of the WAV at w (len bytes) and returns the size of its data chunk. */
static uint32_t check_wav(const char *w, size_t len)
{
    uint32_t rate;
    assert_true(len >= SPEECH_WAV_HEADER_LEN);
    assert_memory_equal(w, "RIFF", 4);
    assert_memory_equal(w + 8, "WAVEfmt ", 8);
    assert_int_equal(le32(w + 16), 16);
    assert_int_equal(le16(w + 20), 1); /* PCM */
    assert_int_equal(le16(w + 22), 1); /* mono */
    rate = le32(w + 24);
    assert_true(rate >= 8000 && rate <= 48000);
    assert_int_equal(le32(w + 28), rate * 2);
    assert_int_equal(le16(w + 32), 2);
    assert_int_equal(le16(w + 34), 16);
    assert_memory_equal(w + 36, "data", 4);
    assert_int_equal(le32(w + 40), len - SPEECH_WAV_HEADER_LEN);
    assert_int_equal(le32(w + 4), len - 8);
    return le32(w + 40);
}

/* Largest absolute sample: speech, not the near-silence of a voice without its dictionary. */
static int peak(const char *w, size_t len)
{
    int max = 0;
    for (size_t i = SPEECH_WAV_HEADER_LEN; i + 1 < len; i += 2) {
        int s = abs((int16_t)le16(w + i));
        max = s > max ? s : max;
    }
    return max;
}

static void dutch_question(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);
    uint32_t data;

    assert_true(speech_has_voice("nl"));
    assert_int_equal(speech_synth_wav("nl", "Slaapt u slecht?", &b), ERR_OK);
    data = check_wav(b.ptr, b.len);
    assert_true(data > 4000);
    assert_true(peak(b.ptr, b.len) > 1000);
    buf_release(&b);
}

static void arabic_script(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);

    assert_int_equal(speech_synth_wav("ar", "هل تنام بشكل سيء؟", &b), ERR_OK);
    assert_true(check_wav(b.ptr, b.len) > 4000);
    assert_true(peak(b.ptr, b.len) > 1000);
    buf_release(&b);
    assert_int_equal(speech_synth_wav("fa", "آیا شب‌ها خوب می‌خوابید؟", &b),
                     ERR_OK);
    assert_true(check_wav(b.ptr, b.len) > 4000);
    assert_true(peak(b.ptr, b.len) > 1000);
    buf_release(&b);
}

static void all_six_and_subtags(void **state)
{
    static const char *const langs[] = {"nl", "en", "ar", "fa", "tr", "uk", "fa-AF", "NL", "en_GB"};
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);

    for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
        assert_true(speech_has_voice(langs[i]));
        assert_int_equal(speech_synth_wav(langs[i], "1 2 3", &b), ERR_OK);
        assert_true(check_wav(b.ptr, b.len) > 4000);
        buf_reset(&b);
    }
    buf_release(&b);
}

static void no_voice(void **state)
{
    static const char *const langs[] = {"ti", "so", "xx", "", "n", "nld", "nlx", "-nl", "ar!"};
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);

    for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
        assert_false(speech_has_voice(langs[i]));
        assert_int_equal(speech_synth_wav(langs[i], "Slaapt u slecht?", &b), ERR_NOT_FOUND);
    }
    assert_false(speech_has_voice(NULL));
    assert_int_equal(speech_synth_wav(NULL, "Slaapt u slecht?", &b), ERR_NOT_FOUND);
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

static void bad_text(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);
    char *long_text = malloc(3001);

    memset(long_text, 'a', 3000);
    long_text[3000] = '\0';
    assert_int_equal(speech_synth_wav("nl", "", &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", " \n\t ", &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", NULL, &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", long_text, &b), ERR_INVALID);
    long_text[SPEECH_TEXT_MAX + 1] = '\0';
    assert_int_equal(speech_synth_wav("nl", long_text, &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", "slaap \xff\xfe goed", &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", "half \xd8", &b), ERR_INVALID);
    assert_int_equal(speech_synth_wav("nl", "bel\x07", &b), ERR_INVALID);
    assert_int_equal(b.len, 0);
    free(long_text);
    buf_release(&b);
}

/* Each spoken digit is a word: 1000 of them at 140 per minute exceed the 8 MiB audio cap. */
static void caps(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);
    struct buf small = BUF_INIT(1000);
    char *digits = malloc(SPEECH_TEXT_MAX + 1);

    for (size_t i = 0; i < SPEECH_TEXT_MAX; i += 2) {
        digits[i] = '9';
        digits[i + 1] = ' ';
    }
    digits[SPEECH_TEXT_MAX] = '\0';
    assert_int_equal(buf_addstr(&b, "keep"), ERR_OK);
    assert_int_equal(speech_synth_wav("nl", digits, &b), ERR_TOO_LARGE);
    assert_string_equal(b.ptr, "keep");
    assert_int_equal(speech_synth_wav("nl", "Slaapt u slecht?", &small), ERR_TOO_LARGE);
    assert_int_equal(small.len, 0);
    free(digits);
    buf_release(&b);
}

/* Appends after what is already in the buffer, as documented. */
static void appends(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX + 4);

    assert_int_equal(buf_addstr(&b, "abcd"), ERR_OK);
    assert_int_equal(speech_synth_wav("tr", "Iyi uyuyor musunuz?", &b), ERR_OK);
    assert_memory_equal(b.ptr, "abcd", 4);
    check_wav(b.ptr + 4, b.len - 4);
    buf_release(&b);
}

struct job {
    const char *lang;
    const char *text;
    enum err rc[4];
    size_t len[4];
};

static void *synth_thread(void *arg)
{
    struct job *j = arg;
    for (size_t i = 0; i < ARRAY_SIZE(j->rc); i++) {
        struct buf b = BUF_INIT(SPEECH_WAV_MAX);
        j->rc[i] = speech_synth_wav(j->lang, j->text, &b);
        j->len[i] = b.len;
        buf_release(&b);
    }
    return NULL;
}

static void two_threads(void **state)
{
    struct job jobs[2] = {
        {"nl", "Hoe gaat het met u vandaag?", {ERR_INTERNAL}, {0}},
        {"ar", "كيف حالك اليوم؟", {ERR_INTERNAL}, {0}},
    };
    pthread_t t[2];

    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, synth_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
    }
    for (int i = 0; i < 2; i++) {
        for (size_t k = 0; k < ARRAY_SIZE(jobs[i].rc); k++) {
            assert_int_equal(jobs[i].rc[k], ERR_OK);
            assert_true(jobs[i].len[k] > SPEECH_WAV_HEADER_LEN + 4000);
        }
    }
}

/*
 * Broken voice data, each case in a fresh process (espeak-ng reads ESPEAK_DATA_PATH once and cannot
 * be restarted) whose data directory holds symlinks to the real files minus one.
 */
static const char *real_data_dir(void)
{
    static const char *const dirs[] = {
        "/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
        "/usr/lib/espeak-ng-data", "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data"};
    char path[256];
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        snprintf(path, sizeof(path), "%s/phontab", dirs[i]);
        if (access(path, R_OK) == 0) {
            return dirs[i];
        }
    }
    return NULL;
}

/* Fills root/espeak-ng-data with links to real's entries but omit; empties it when real is NULL. */
static void link_data(const char *real, const char *root, const char *omit)
{
    char dir[256], from[512], to[512];
    DIR *d;
    struct dirent *e;

    snprintf(dir, sizeof(dir), "%s/espeak-ng-data", root);
    d = opendir(real ? real : dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || (omit && strcmp(e->d_name, omit) == 0)) {
            continue;
        }
        snprintf(to, sizeof(to), "%s/%s", dir, e->d_name);
        if (real) {
            snprintf(from, sizeof(from), "%s/%s", real, e->d_name);
            assert_int_equal(symlink(from, to), 0);
        } else {
            assert_int_equal(unlink(to), 0);
        }
    }
    closedir(d);
}

/* Runs this binary as `test_speech child MODE` on data without `omit`; returns its exit status. */
static int run_child(const char *mode, const char *omit)
{
    const char *real = real_data_dir();
    char root[] = "/tmp/vk-speech-XXXXXX";
    char dir[256], env[300], mode_arg[32];
    char arg0[] = "test_speech", arg1[] = "child";
    char *argv[] = {arg0, arg1, mode_arg, NULL};
    char *envp[] = {env, NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = -1;

    if (!real) {
        skip();
    }
    snprintf(mode_arg, sizeof(mode_arg), "%s", mode);
    assert_non_null(mkdtemp(root));
    snprintf(dir, sizeof(dir), "%s/espeak-ng-data", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    link_data(real, root, omit);
    snprintf(env, sizeof(env), "ESPEAK_DATA_PATH=%s", root);
    posix_spawn_file_actions_init(&fa);
    /* espeak-ng names the missing file on stderr: expected here, so not shown */
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, envp), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    posix_spawn_file_actions_destroy(&fa);
    link_data(NULL, root, NULL);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(rmdir(root), 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int child_main(const char *mode)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);
    bool failed = true;

    if (strcmp(mode, "no-dict") == 0) {
        /* espeak-ng loads the Dutch voice without its dictionary, and would speak silence */
        failed = speech_has_voice("nl") || !speech_has_voice("en") ||
                 speech_synth_wav("nl", "Slaapt u slecht?", &b) != ERR_NOT_FOUND;
    } else if (strcmp(mode, "no-phontab") == 0) {
        /* espeak_Initialize() would carry on here and die at the first voice selection */
        failed = speech_has_voice("nl") ||
                 speech_synth_wav("nl", "Slaapt u slecht?", &b) != ERR_INTERNAL;
    }
    failed = failed || b.len != 0;
    buf_release(&b);
    speech_shutdown();
    return failed ? 1 : 0;
}

static void missing_dictionary(void **state)
{
    assert_int_equal(run_child("no-dict", "nl_dict"), 0);
}

static void missing_phoneme_data(void **state)
{
    assert_int_equal(run_child("no-phontab", "phontab"), 0);
}

/* After shutdown nothing speaks: espeak-ng cannot be started again in the same process. */
static int group_teardown(void **state)
{
    struct buf b = BUF_INIT(SPEECH_WAV_MAX);
    int failed;

    speech_shutdown();
    failed = speech_has_voice("nl") || speech_synth_wav("nl", "Hallo", &b) != ERR_INTERNAL;
    buf_release(&b);
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dutch_question),
        cmocka_unit_test(arabic_script),
        cmocka_unit_test(all_six_and_subtags),
        cmocka_unit_test(no_voice),
        cmocka_unit_test(bad_text),
        cmocka_unit_test(caps),
        cmocka_unit_test(appends),
        cmocka_unit_test(two_threads),
        cmocka_unit_test(missing_dictionary),
        cmocka_unit_test(missing_phoneme_data),
    };

    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        return child_main(argv[2]);
    }
    return cmocka_run_group_tests(tests, NULL, group_teardown);
}
