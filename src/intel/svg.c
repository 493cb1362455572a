/*
 * intel/svg.c - bar, line, heat-table and demand-versus-supply charts as
 * inline SVG (svg.h).
 *
 * Geometry is fixed (a chart is 720 units wide and scales with the page via
 * viewBox); long labels are cut to 40 characters on a UTF-8 boundary with
 * the full text kept in a <title> tooltip.  Colours come from one palette
 * chosen to stay distinguishable for the common colour-vision deficiencies.
 */
#include "intel/svg.h"

#include <string.h>

#include "server/html.h"

static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"
};
enum { NPALETTE = sizeof palette / sizeof palette[0], WIDTH = 720 };

/* The label, cut to at most 40 bytes without splitting a UTF-8 sequence. */
static int put_short(sh_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (n <= 40)
		return sh_html_puts(b, s);
	n = 38;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return sh_html_escape(b, s, n) || sh_buf_puts(b, "\xe2\x80\xa6");
}

static int open_svg(sh_buf *b, const char *title, int height)
{
	return sh_buf_printf(b, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
	                        "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	                        "font-family=\"sans-serif\" font-size=\"12\"><title>", WIDTH, height) ||
	       sh_html_puts(b, title) || sh_buf_puts(b, "</title>");
}

static int close_svg(sh_buf *b, const char *title)
{
	return sh_buf_puts(b, "</svg><figcaption>") || sh_html_puts(b, title) ||
	       sh_buf_puts(b, "</figcaption></figure>\n");
}

int sh_svg_bars(sh_buf *b, const char *title, const char *const *labels, const double *share, size_t n)
{
	const int row = 22, left = 300, right = 70;
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (share[i] > max)
			max = share[i];
	int rc = open_svg(b, title, (int)n * row + 10);
	for (size_t i = 0; !rc && i < n; i++) {
		int y = 5 + (int)i * row;
		double w = max > 0 ? share[i] / max * (WIDTH - left - right) : 0;
		rc = sh_buf_printf(b, "<g><title>") || sh_html_puts(b, labels[i]) ||
		     sh_buf_printf(b, ": %.1f%%</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		                   100 * share[i], left - 6, y + 15) ||
		     put_short(b, labels[i]) ||
		     sh_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		                      "<text x=\"%.1f\" y=\"%d\">%.1f%%</text></g>",
		                   left, y + 2, w, row - 6, palette[0], left + w + 4, y + 15, 100 * share[i]);
	}
	return rc || close_svg(b, title);
}

int sh_svg_lines(sh_buf *b, const char *title, const char *const *periods, size_t nx,
                 const char *const *series, const double *value, size_t ns)
{
	const int left = 50, right = 20, top = 10, plot = 220, legend_row = 18;
	double max = 0;
	for (size_t i = 0; i < nx * ns; i++)
		if (value[i] > max)
			max = value[i];
	if (max <= 0)
		max = 1;
	int height = top + plot + 40 + (int)ns * legend_row;
	double step = nx > 1 ? (double)(WIDTH - left - right) / (double)(nx - 1) : 0;
	int rc = open_svg(b, title, height) ||
	         sh_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
	                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f%%</text>"
	                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0%%</text>",
	                       left, top + plot, WIDTH - right, top + plot, left - 4, top + 10, 100 * max,
	                       left - 4, top + plot);
	/* At most 12 period labels along the axis. */
	size_t every = nx > 12 ? (nx + 11) / 12 : 1;
	for (size_t x = 0; !rc && x < nx; x += every)
		rc = sh_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", left + x * step,
		                   top + plot + 16) || sh_html_puts(b, periods[x]) || sh_buf_puts(b, "</text>");
	for (size_t s = 0; !rc && s < ns; s++) {
		const char *colour = palette[s % NPALETTE];
		rc = sh_buf_printf(b, "<g><title>") || sh_html_puts(b, series[s]) ||
		     sh_buf_printf(b, "</title><polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"",
		                   colour);
		for (size_t x = 0; !rc && x < nx; x++)
			rc = sh_buf_printf(b, "%s%.1f,%.1f", x ? " " : "", left + x * step,
			                   top + plot - value[s * nx + x] / max * plot);
		int y = top + plot + 34 + (int)s * legend_row;
		rc = rc || sh_buf_printf(b, "\"/><rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		                            "<text x=\"%d\" y=\"%d\">", left, y - 10, colour, left + 18, y) ||
		     put_short(b, series[s]) || sh_buf_puts(b, "</text></g>");
	}
	return rc || close_svg(b, title);
}

int sh_svg_heat(sh_buf *b, const char *title, const char *const *rows, size_t nrows,
                const char *const *cols, size_t ncols, const double *value)
{
	const int left = 160, head = 120, cell_h = 24;
	int cell_w = ncols ? (WIDTH - left) / (int)ncols : 0;
	double max = 0;
	for (size_t i = 0; i < nrows * ncols; i++)
		if (value[i] > max)
			max = value[i];
	int rc = open_svg(b, title, head + (int)nrows * cell_h + 4);
	for (size_t c = 0; !rc && c < ncols; c++) {
		int x = left + (int)c * cell_w + cell_w / 2;
		rc = sh_buf_printf(b, "<text transform=\"translate(%d %d) rotate(-40)\"><title>", x, head - 6) ||
		     sh_html_puts(b, cols[c]) || sh_buf_puts(b, "</title>") || put_short(b, cols[c]) ||
		     sh_buf_puts(b, "</text>");
	}
	for (size_t r = 0; !rc && r < nrows; r++) {
		int y = head + (int)r * cell_h;
		rc = sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 16) ||
		     put_short(b, *rows[r] ? rows[r] : "(unknown)") || sh_buf_puts(b, "</text>");
		for (size_t c = 0; !rc && c < ncols; c++) {
			double v = value[r * ncols + c], t = max > 0 ? v / max : 0;
			rc = sh_buf_printf(b, "<g><title>%.2f</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
			                      "height=\"%d\" fill=\"#0072b2\" fill-opacity=\"%.2f\" stroke=\"#fff\"/>"
			                      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%.2f</text></g>",
			                   v, left + (int)c * cell_w, y, cell_w, cell_h, 0.05 + 0.95 * t,
			                   left + (int)c * cell_w + cell_w / 2, y + 16, t > 0.6 ? "#fff" : "#000", v);
		}
	}
	return rc || close_svg(b, title);
}

int sh_svg_versus(sh_buf *b, const char *title, const char *const *labels, size_t n, const double *share,
                  const int64_t *count)
{
	/* Label column, then the demand half and the supply half, each scaled to its own largest value. */
	const int row = 22, head = 22, left = 260, half = (WIDTH - left) / 2, room = half - 60;
	double max_share = 0;
	int64_t max_count = 0;
	for (size_t i = 0; i < n; i++) {
		if (share[i] > max_share)
			max_share = share[i];
		if (count[i] > max_count)
			max_count = count[i];
	}
	int rc = open_svg(b, title, head + (int)n * row + 6) ||
	         sh_buf_printf(b, "<text x=\"%d\" y=\"14\" font-weight=\"bold\">Demand: share of ads</text>"
	                          "<text x=\"%d\" y=\"14\" font-weight=\"bold\">Supply: courses</text>",
	                       left, left + half);
	for (size_t i = 0; !rc && i < n; i++) {
		int y = head + (int)i * row;
		double wd = max_share > 0 ? share[i] / max_share * room : 0;
		double ws = max_count > 0 ? (double)count[i] / (double)max_count * room : 0;
		rc = sh_buf_puts(b, "<g class=\"versus\"><title>") || sh_html_puts(b, labels[i]) ||
		     sh_buf_printf(b, ": %.1f%% of ads, %lld courses</title>"
		                      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", 100 * share[i],
		                   (long long)count[i], left - 6, y + 15) ||
		     put_short(b, labels[i]) ||
		     sh_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		                      "<text x=\"%.1f\" y=\"%d\">%.1f%%</text>"
		                      "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		                      "<text x=\"%.1f\" y=\"%d\">%lld</text></g>",
		                   left, y + 2, wd, row - 6, palette[0], left + wd + 4, y + 15, 100 * share[i],
		                   left + half, y + 2, ws, row - 6, palette[1], left + half + ws + 4, y + 15,
		                   (long long)count[i]);
	}
	return rc || close_svg(b, title);
}
