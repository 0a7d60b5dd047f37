/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Functions we never call: unbounded copies, unchecked number parsing, weak randomness. Use
 * struct buf, str_parse_* and crypto_random instead. Included last by compat.h so that system
 * headers are unaffected (git's banned.h).
 */
#ifndef VK_BANNED_H
#define VK_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atof
#define atof(x) BANNED(atof)
#undef sscanf
#define sscanf(...) BANNED(sscanf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)
#undef rand
#define rand() BANNED(rand)
#undef system
#define system(x) BANNED(system)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)

#endif
