/*
 * intel/svg.h - the SVG charts of the reports and the Intelligence page,
 * drawn by the project (no script, no external asset): inline <svg>
 * elements with a <title> and text labels, so they read without CSS and
 * print as they show.  Every string is escaped.
 */
#ifndef SH_INTEL_SVG_H
#define SH_INTEL_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Horizontal bars: one row per label, value as a percentage of 1.0 (shares). */
int sh_svg_bars(sh_buf *b, const char *title, const char *const *labels, const double *share, size_t n);

/* Lines: ns series over nx periods, value[s * nx + x] a share; a legend below. */
int sh_svg_lines(sh_buf *b, const char *title, const char *const *periods, size_t nx,
                 const char *const *series, const double *value, size_t ns);

/* Heat table: rows x columns of values, shaded by value / the largest value. */
int sh_svg_heat(sh_buf *b, const char *title, const char *const *rows, size_t nrows,
                const char *const *cols, size_t ncols, const double *value);

/*
 * Demand against supply, one row per label: on the left the share of ads
 * (a percentage), on the right a count of courses, each half scaled to its
 * own largest value.
 */
int sh_svg_versus(sh_buf *b, const char *title, const char *const *labels, size_t n, const double *share,
                  const int64_t *count);

#endif
