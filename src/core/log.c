/* Logging to stderr with a timestamp and level; see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static FILE *log_stream; /* NULL = stderr */

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

void log_set_stream(FILE *f)
{
	log_stream = f;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	if (lvl < min_level)
		return;
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	FILE *out = log_stream ? log_stream : stderr;
	fprintf(out, "%s.%03ldZ softbmcd %s: ", stamp, ts.tv_nsec / 1000000, names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
