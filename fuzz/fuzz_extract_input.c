/*
 * fuzz/fuzz_extract_input.c - libFuzzer target for match/extract_input.h:
 * the fast reader of JSON-object input lines must agree with jansson on
 * arbitrary bytes.
 *
 * Each input is read twice, with SH_INPUT_FAST and SH_INPUT_JANSSON_ONLY,
 * and the run aborts when the status, the output start, the decoded text,
 * the id or the error message differ.  The sanitizers catch reads past the
 * line (the fuzzer hands it over in an allocation of exactly `size` bytes).
 * To reach the fast reader often, seed with lines like
 * {"id": 1, "title": "t", "text": "caf\u00e9 \"x\""}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/extract_input.h"
#include "skillhub/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct reading {
	int    rc;
	sh_buf out, text, id, err;
} reading;

static void read_line(const char *line, size_t size, int readers, reading *r)
{
	sh_input in = SH_INPUT_INIT;
	memset(r, 0, sizeof *r);
	r->rc = sh_input_read(&in, &r->out, line, size, 1, readers);
	if (r->rc == SH_OK)
		sh_buf_append(&r->text, in.text, in.text_len);
	else
		sh_buf_puts(&r->err, sh_errmsg());
	sh_buf_append(&r->id, in.id.data ? in.id.data : "", in.id.len);
	sh_input_free(&in);
}

static int same(const sh_buf *a, const sh_buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void reading_free(reading *r)
{
	sh_buf_free(&r->out);
	sh_buf_free(&r->text);
	sh_buf_free(&r->id);
	sh_buf_free(&r->err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reading fast, slow;
	read_line((const char *)data, size, SH_INPUT_FAST, &fast);
	read_line((const char *)data, size, SH_INPUT_JANSSON_ONLY, &slow);
	if (fast.rc != slow.rc || !same(&fast.out, &slow.out) || !same(&fast.text, &slow.text) ||
	    !same(&fast.id, &slow.id) || !same(&fast.err, &slow.err)) {
		fprintf(stderr, "fuzz_extract_input: readers differ: status %d/%d, output '%s' / '%s', error '%s' / '%s'\n",
		        fast.rc, slow.rc, fast.out.data ? fast.out.data : "", slow.out.data ? slow.out.data : "",
		        fast.err.data ? fast.err.data : "", slow.err.data ? slow.err.data : "");
		abort();
	}
	reading_free(&fast);
	reading_free(&slow);
	return 0;
}
