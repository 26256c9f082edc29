/* banned.h - functions runcare does not call, made compile errors.
 *
 * Included last by base.h, after the system headers, so that their own
 * declarations are untouched. Why each is banned:
 *   strcpy strcat sprintf vsprintf  no bound on the destination: use snprintf
 *   strtok                          hidden state, not re-entrant: walk the string
 *   atoi atol                       no error reporting: use strtol and check end
 *   gmtime localtime                static result, and localtime reads the
 *                                   machine's zone: use base/time.h */
#ifndef RC_BANNED_H
#define RC_BANNED_H

#define RC_BANNED(func) sorry_##func##_is_banned_in_runcare

#undef strcpy
#define strcpy(x, y) RC_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RC_BANNED(strcat)
#undef sprintf
#define sprintf(...) RC_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RC_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) RC_BANNED(strtok)
#undef atoi
#define atoi(x) RC_BANNED(atoi)
#undef atol
#define atol(x) RC_BANNED(atol)
#undef gmtime
#define gmtime(x) RC_BANNED(gmtime)
#undef localtime
#define localtime(x) RC_BANNED(localtime)

#endif
