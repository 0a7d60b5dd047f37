/*
 * mhd-hello: REF-MHD, the bare libmicrohttpd reference server for bench/run.
 *
 * It starts MHD exactly as veerkracht's http_start() does (src/http/
 * server.c: MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC,
 * a thread pool, a 30 s connection timeout, the same connection limits),
 * listens on 127.0.0.1 only, and answers every request with 200 and a static
 * JSON body carrying the same headers veerkracht sends (Content-Type, the
 * security headers, Cache-Control and a fresh 32-hex-char X-Request-Id). It
 * does no other work, so its throughput is the ceiling that veerkracht's
 * W0/W1 numbers are divided by (R_mhd). Keep the flags and headers in step
 * with src/http/server.c.
 *
 *   mhd-hello [--port N] [--threads N] [--body-size N]
 *
 * --port 0 picks a free port. The chosen port is printed on stdout as
 * "mhd-hello: listening on http://127.0.0.1:PORT". --body-size N pads the
 * body to exactly N bytes (a JSON object, so it stays valid JSON), for
 * comparing against a veerkracht response of the same size. SIGINT and
 * SIGTERM stop the daemon cleanly.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra mhd-hello.c \
 *            $(pkg-config --cflags --libs libmicrohttpd) -o mhd-hello
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_RESULT_T;
#else
typedef enum MHD_Result MHD_RESULT_T;
#endif

/* Kept identical to src/http/server.c (CSP and add_common_headers()). */
#define CSP_VALUE                                                                                  \
    "default-src 'self'; script-src 'self'; style-src 'self'; "                                    \
    "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; "                           \
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "                                \
    "object-src 'none'"

static const char *g_body;
static size_t g_body_len;

/* A marker stored in *con_cls after the first call for a request, so that
 * the response is queued on the second call, as a real application that may
 * have to read a request body does. */
static int g_seen;

/* Per-thread xorshift64* generator for X-Request-Id. The IDs only need to
 * look like veerkracht's (32 hex chars, different per request); the cost of
 * a CSPRNG call is not part of the "bare MHD" reference. */
static _Thread_local uint64_t t_rng;

static uint64_t rng_next(void)
{
    if (t_rng == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t_rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&t_rng;
        if (t_rng == 0) {
            t_rng = 0x9E3779B97F4A7C15ULL;
        }
    }
    t_rng ^= t_rng >> 12;
    t_rng ^= t_rng << 25;
    t_rng ^= t_rng >> 27;
    return t_rng * 0x2545F4914F6CDD1DULL;
}

static void request_id(char out[33])
{
    static const char hex[] = "0123456789abcdef";
    for (int half = 0; half < 2; half++) {
        uint64_t v = rng_next();
        for (int i = 0; i < 16; i++) {
            out[half * 16 + i] = hex[v & 0xF];
            v >>= 4;
        }
    }
    out[32] = '\0';
}

static MHD_RESULT_T handler(void *cls, struct MHD_Connection *connection, const char *url,
                            const char *method, const char *version, const char *upload_data,
                            size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;

    if (*con_cls != &g_seen) {
        *con_cls = &g_seen;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { /* discard any body */
        *upload_data_size = 0;
        return MHD_YES;
    }

    struct MHD_Response *resp =
        MHD_create_response_from_buffer(g_body_len, (void *)g_body, MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        return MHD_NO;
    }

    char rid[33];
    request_id(rid);
    int ok =
        MHD_add_response_header(resp, "Content-Type", "application/json") == MHD_YES &&
        MHD_add_response_header(resp, "Content-Security-Policy", CSP_VALUE) == MHD_YES &&
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
        MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES &&
        MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES &&
        MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin") == MHD_YES &&
        MHD_add_response_header(resp, "Permissions-Policy",
                                "camera=(), microphone=(), "
                                "geolocation=()") == MHD_YES &&
        MHD_add_response_header(resp, "Cache-Control", "no-store") == MHD_YES &&
        MHD_add_response_header(resp, "X-Request-Id", rid) == MHD_YES;
    MHD_RESULT_T ret = MHD_NO;
    if (ok) {
        ret = MHD_queue_response(connection, MHD_HTTP_OK, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    (void)toe;
    *con_cls = NULL;
}

/* Build the response body: {"status":"ok"} or, padded to exactly n bytes,
 * {"status":"ok","pad":"xxxx..."}. */
static char *make_body(size_t n, size_t *len_out)
{
    static const char base[] = "{\"status\":\"ok\"}";
    static const char head[] = "{\"status\":\"ok\",\"pad\":\"";
    static const char tail[] = "\"}";
    const size_t base_len = sizeof base - 1;
    const size_t frame = (sizeof head - 1) + (sizeof tail - 1);

    if (n == 0 || n == base_len) {
        char *b = strdup(base);
        *len_out = base_len;
        return b;
    }
    if (n < frame) {
        fprintf(stderr, "mhd-hello: --body-size must be %zu or at least %zu\n", base_len, frame);
        return NULL;
    }
    char *b = malloc(n + 1);
    if (b == NULL) {
        return NULL;
    }
    memcpy(b, head, sizeof head - 1);
    memset(b + sizeof head - 1, 'x', n - frame);
    memcpy(b + n - (sizeof tail - 1), tail, sizeof tail - 1);
    b[n] = '\0';
    *len_out = n;
    return b;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    if (s == NULL || *s == '\0' || *s == '-') {
        return -1;
    }
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: mhd-hello [--port N] [--threads N] [--body-size N]\n");
}

int main(int argc, char **argv)
{
    unsigned long port = 8081, threads = 2, body_size = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--port") == 0) {
            bad = parse_ulong(v, 65535, &port);
        } else if (strcmp(a, "--threads") == 0) {
            bad = parse_ulong(v, 256, &threads) || threads == 0;
        } else if (strcmp(a, "--body-size") == 0) {
            bad = parse_ulong(v, 16UL * 1024 * 1024, &body_size);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "mhd-hello: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "mhd-hello: bad value for %s\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }

    char *body = make_body(body_size, &g_body_len);
    if (body == NULL) {
        return 2;
    }
    g_body = body;

    /* Block the stop signals before MHD starts its threads, so that they
     * inherit the mask and only sigwait() below sees the signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
        fprintf(stderr, "mhd-hello: pthread_sigmask failed\n");
        free(body);
        return 1;
    }

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC, (uint16_t)port, NULL, NULL,
        &handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)200, MHD_OPTION_NOTIFY_COMPLETED, &request_completed, NULL, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "mhd-hello: cannot start daemon on 127.0.0.1:%lu\n", port);
        free(body);
        return 1;
    }

    unsigned int bound = (unsigned int)port;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (info != NULL && info->port != 0) {
        bound = info->port;
    }
    printf("mhd-hello: listening on http://127.0.0.1:%u (threads=%lu, "
           "body=%zu bytes)\n",
           bound, threads, g_body_len);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;

    MHD_stop_daemon(d);
    free(body);
    printf("mhd-hello: stopped (signal %d)\n", sig);
    return 0;
}
