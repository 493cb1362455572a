/*
 * core/error.c - thread-local error messages.
 *
 * One fixed buffer per thread: no allocation on the error path, so reporting
 * an out-of-memory condition cannot itself fail.  Messages longer than the
 * buffer are truncated.
 */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SH_ERRMSG_MAX 1024

static _Thread_local char errmsg[SH_ERRMSG_MAX];

const char *sh_errmsg(void)
{
	return errmsg;
}

int sh_error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof errmsg, fmt, ap);
	va_end(ap);
	return code;
}

int sh_error_wrap(int code, const char *fmt, ...)
{
	char old[SH_ERRMSG_MAX];
	va_list ap;
	memcpy(old, errmsg, sizeof old);
	va_start(ap, fmt);
	int n = vsnprintf(errmsg, sizeof errmsg, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n + 2 < sizeof errmsg) {
		memcpy(errmsg + n, ": ", 3);
		size_t room = sizeof errmsg - (size_t)n - 3;
		size_t len = strnlen(old, room);
		memcpy(errmsg + n + 2, old, len);
		errmsg[n + 2 + len] = '\0';
	}
	return code;
}

void sh_error_clear(void)
{
	errmsg[0] = '\0';
}

const char *sh_strstatus(int status)
{
	switch (status) {
	case SH_OK:        return "SH_OK";
	case SH_ERROR:     return "SH_ERROR";
	case SH_ENOMEM:    return "SH_ENOMEM";
	case SH_EIO:       return "SH_EIO";
	case SH_EINVAL:    return "SH_EINVAL";
	case SH_ENOTFOUND: return "SH_ENOTFOUND";
	case SH_EFORMAT:   return "SH_EFORMAT";
	case SH_EDB:       return "SH_EDB";
	case SH_ESTALE:    return "SH_ESTALE";
	case SH_EAUTH:     return "SH_EAUTH";
	case SH_EEXIST:    return "SH_EEXIST";
	default:           return "SH_UNKNOWN";
	}
}

const char *sh_version(void)
{
	return SKILLHUB_VERSION;
}
