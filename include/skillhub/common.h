/*
 * skillhub/common.h - status codes, error reporting and version of the library.
 *
 * Error convention (the same in every module, after libgit2): a function that
 * can fail returns an int, SH_OK (0) on success or a negative sh_status.  On
 * failure it leaves a human-readable message in a thread-local slot that
 * sh_errmsg() returns until the next failing call on the same thread.  The
 * message names what was wrong: the file and line, the field, the argument.
 *
 * Ownership convention: an object obtained through sh_X_open()/sh_X_new() is
 * released with the matching sh_X_close()/sh_X_free(); a `const char *`
 * returned by an accessor belongs to the object it came from and lives as long
 * as it; a `char *` returned to the caller is the caller's and is freed with
 * free().
 */
#ifndef SKILLHUB_COMMON_H
#define SKILLHUB_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SKILLHUB_VERSION "0.1.0"

typedef enum sh_status {
	SH_OK        =  0,
	SH_ERROR     = -1, /* generic failure */
	SH_ENOMEM    = -2, /* out of memory */
	SH_EIO       = -3, /* file system or I/O error */
	SH_EINVAL    = -4, /* bad argument from the caller */
	SH_ENOTFOUND = -5, /* no such concept, file, record */
	SH_EFORMAT   = -6, /* malformed input data (CSV, JSON, index file) */
	SH_EDB       = -7, /* SQLite reported an error */
	SH_ESTALE    = -8, /* the compiled index does not match the database */
	SH_EAUTH     = -9, /* not authenticated: bad login, password, token or session */
	SH_EEXIST    = -10 /* the record already exists (a login taken, ...) */
} sh_status;

/* The message of the last failure on this thread ("" if none). */
const char *sh_errmsg(void);

/* Short name of a status code: "SH_EFORMAT". */
const char *sh_strstatus(int status);

/* Library version string, SKILLHUB_VERSION. */
const char *sh_version(void);

#ifdef __cplusplus
}
#endif
#endif
