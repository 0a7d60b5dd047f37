/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * First include of every .c file: the standard headers everyone needs, plus banned.h so that
 * unsafe libc calls fail to compile. Feature-test macros come from the build (CMakeLists.txt).
 */
#ifndef VK_COMPAT_H
#define VK_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define VK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define VK_NORETURN     __attribute__((noreturn))
#define VK_UNUSED       __attribute__((unused))
#else
#define VK_PRINTF(f, a)
#define VK_NORETURN
#define VK_UNUSED
#endif

/* Abort with file and line on a state that cannot happen (git's BUG()). */
#define BUG(...) vk_bug(__FILE__, __LINE__, __VA_ARGS__)
VK_NORETURN void vk_bug(const char *file, int line, const char *fmt, ...) VK_PRINTF(3, 4);

#include "core/banned.h"

#endif
