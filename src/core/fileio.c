/*
 * core/fileio.c - read-only maps, atomic writes, whole-file reads.
 */
#include "core/fileio.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int sh_map_file(sh_map *m, const char *path)
{
	m->data = NULL;
	m->size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return sh_error(SH_EIO, "%s: %s", path, strerror(e));
	}
	if (st.st_size == 0) {
		close(fd);
		return sh_error(SH_EFORMAT, "%s: empty file", path);
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED)
		return sh_error(SH_EIO, "%s: mmap: %s", path, strerror(e));
	m->data = p;
	m->size = (size_t)st.st_size;
	return SH_OK;
}

void sh_unmap(sh_map *m)
{
	if (m->data)
		munmap((void *)m->data, m->size);
	m->data = NULL;
	m->size = 0;
}

int sh_write_atomic(const char *path, const void *data, size_t size)
{
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return sh_error(SH_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int rc = sh_error(SH_EIO, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	const char *p = data;
	size_t left = size;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int rc = sh_error(SH_EIO, "%s: write: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return rc;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int rc = sh_error(SH_EIO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return rc;
	}
	free(tmp);
	return SH_OK;
}

int sh_read_file(const char *path, char **out, size_t *len)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			buf = NULL;
		} else {
			buf = nb;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf)
		return sh_error(SH_ENOMEM, "%s: out of memory", path);
	if (err) {
		free(buf);
		return sh_error(SH_EIO, "%s: read error", path);
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return SH_OK;
}

int sh_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}
