/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * `veerkracht route check FILE...`: validates route-map rule files (docs/routing.md) against the
 * format, the stepped-care invariants and the stressor ids of the instruments compiled in,
 * printing each problem as FILE: /pointer: message. The routing module does the work.
 */
#include "core/compat.h"

#include "cli/cli_int.h"
#include "routing/routing.h"
#include "screening/screening.h"

static const char usage_route[] =
    "usage: veerkracht route check FILE...\n"
    "\n"
    "check validates route-map rule files (docs/routing.md): the format, every condition and\n"
    "level name, the stressor ids of the signalling instruments, and the rules of stepped care\n"
    "(a red flag goes to crisis first; L2 and L3 only after L1, the GP). Each problem is printed\n"
    "as FILE: /pointer: message; the exit status is 1 when any file has one. A checked file is\n"
    "made active with the routing_rules setting of 'veerkracht serve'.\n";

static int check_one(const char *path, const char *const *stressors)
{
    struct route_rules *r = NULL;
    struct verr v = {0};
    char msg[300] = "";
    enum err rc = route_load_file(path, stressors, &r, &v, msg, sizeof(msg));

    if (rc && v.n == 0) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    for (size_t i = 0; i < v.n; i++) {
        fprintf(stderr, "%s: %s: %s\n", path, v.items[i].pointer[0] ? v.items[i].pointer : "/",
                v.items[i].detail);
    }
    if (!rc) {
        printf("%s: ok (%s %s, %d rules, %d stressor offers)\n", path, r->id, r->version,
               r->n_rules, r->n_offers);
    }
    route_rules_free(r);
    return rc ? 1 : 0;
}

int cli__route(int argc, char **argv)
{
    struct screen_registry *reg = NULL;
    const char **stressors = NULL;
    int bad = 0;

    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_route, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "check")) {
        return cli__usage_error(usage_route, "unknown route command '%s'", argv[1]);
    }
    if (argc < 3) {
        return cli__usage_error(usage_route, "%s", "route check needs at least one FILE");
    }
    if (screen_registry_load(NULL, &reg) || route_stressor_ids(reg, &stressors)) {
        fputs("veerkracht: the compiled-in instruments do not load\n", stderr);
        screen_registry_free(reg);
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        bad |= check_one(argv[i], stressors);
    }
    free(stressors);
    screen_registry_free(reg);
    return bad;
}

int cli__route_rules(const char *path, const struct screen_registry *reg)
{
    struct route_rules *r = NULL;
    const char **stressors = NULL;
    struct verr v = {0};
    char msg[300] = "";
    enum err rc;

    if (!path || !*path) {
        return route_active() ? 0 : 1;
    }
    rc = route_stressor_ids(reg, &stressors);
    rc = rc ? rc : route_load_file(path, stressors, &r, &v, msg, sizeof(msg));
    free(stressors);
    if (rc) {
        fprintf(stderr, "veerkracht: routing_rules: %s\n", msg);
        for (size_t i = 0; i < v.n; i++) {
            fprintf(stderr, "%s: %s: %s\n", path, v.items[i].pointer[0] ? v.items[i].pointer : "/",
                    v.items[i].detail);
        }
        return 1;
    }
    if (route_set_active(r)) {
        route_rules_free(r);
        fputs("veerkracht: routing rules were already set\n", stderr);
        return 1;
    }
    return 0;
}
