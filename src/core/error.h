/*
 * core/error.h - setting the thread-local error message (see skillhub/common.h).
 *
 * Usage:   return sh_error(SH_EFORMAT, "%s:%zu: missing column '%s'", file, line, col);
 * sh_error() formats the message, stores it and returns the code so that a
 * failure is reported and propagated in one statement.
 */
#ifndef SH_CORE_ERROR_H
#define SH_CORE_ERROR_H

#include "skillhub/common.h"

int sh_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "prefix: " (used to add context on the way up). */
int sh_error_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void sh_error_clear(void);

#endif
