/*
 * fuzz/fuzz_csv.c - libFuzzer target for the CSV reader (taxonomy/csv_reader.h).
 *
 * Reads the input as a CSV file to its end, touching every field of every
 * record and the column lookup, so that a malformed input can only end in an
 * error status, never in a crash, a leak or an out-of-bounds read.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "taxonomy/csv_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	sh_csv *r;
	if (sh_csv_open_stream(&r, f, "fuzz.csv") == 0) {
		int col = sh_csv_col(r, "conceptUri");
		size_t total = 0;
		while (sh_csv_next(r) == 1) {
			for (size_t i = 0; i < sh_csv_ncols(r); i++)
				total += strlen(sh_csv_field(r, (int)i)) + sh_csv_field_len(r, (int)i);
			total += sh_csv_line(r) + strlen(sh_csv_field(r, col));
		}
		(void)total;
		sh_csv_close(r);
	}
	fclose(f);
	return 0;
}
