/* Operator-facing log: one line per event on stderr, never secrets. */
#pragma once
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR };

void log_set_level(enum log_level lvl);
/* Where log lines go; NULL = stderr (the default). The fuzz targets format every line into
 * /dev/null. */
void log_set_stream(FILE *f);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
