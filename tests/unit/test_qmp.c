/* Unit tests of the QMP line parser (platform/qemu/qmp.c): QEMU's greeting is recognised, an
 * event's name and data.guest reach the callback, and lines that are not JSON objects, or
 * objects that are neither, are ignored. The lines are QEMU 7.2's, as captured from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/qemu/qmp.h"

struct seen {
	int n;
	char event[32];
	bool guest;
};

static void on_event(void *arg, const char *event, bool guest)
{
	struct seen *s = arg;
	s->n++;
	strncpy(s->event, event, sizeof(s->event) - 1);
	s->guest = guest;
}

static bool parse(const char *line, struct seen *s)
{
	return qmp_parse_line(line, strlen(line), on_event, s);
}

static void test_greeting(void **state)
{
	struct seen s = { 0 };
	(void)state;
	assert_true(parse("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
			  "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}, "
			  "\"capabilities\": [\"oob\"]}}\r", &s));
	assert_int_equal(s.n, 0);
	assert_false(parse("{\"return\": {}}", &s)); /* the answer to qmp_capabilities */
	assert_int_equal(s.n, 0);
}

static void test_events(void **state)
{
	struct seen s = { 0 };
	(void)state;
	assert_false(parse("{\"timestamp\": {\"seconds\": 1763766824, \"microseconds\": 290117}, "
			   "\"event\": \"RESET\", \"data\": {\"guest\": true, \"reason\": "
			   "\"guest-reset\"}}", &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.event, "RESET");
	assert_true(s.guest);
	assert_false(parse("{\"event\": \"RESET\", \"data\": {\"guest\": false, \"reason\": "
			   "\"host-qmp-system-reset\"}}", &s));
	assert_int_equal(s.n, 2);
	assert_false(s.guest);
	assert_false(parse("{\"event\": \"STOP\"}", &s)); /* no data: guest is false */
	assert_int_equal(s.n, 3);
	assert_string_equal(s.event, "STOP");
	assert_false(s.guest);
	assert_false(parse("{\"event\": \"RESET\", \"data\": {\"guest\": \"yes\"}}", &s));
	assert_false(s.guest); /* only JSON true is true */
}

static void test_ignored(void **state)
{
	struct seen s = { 0 };
	static const char *const lines[] = {
		"", "not json", "[1, 2]", "\"RESET\"", "{\"event\": 7}", "{\"event\": null}",
		"{\"event\": \"RESET\"", "{}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_false(parse(lines[i], &s));
	assert_int_equal(s.n, 0);
	/* one object per line: anything after it (here a NUL and junk) makes the line invalid */
	assert_false(qmp_parse_line("{\"event\": \"RESET\"}\0junk", 23, on_event, &s));
	assert_false(parse("{\"event\": \"RESET\"} {\"event\": \"RESET\"}", &s));
	assert_int_equal(s.n, 0);
}

static void test_chardev_arg(void **state)
{
	(void)state;
	char *a = qemu_socket_chardev("softbmc-qmp", "/var/lib/soft,bmc/qemu-qmp.sock");
	assert_string_equal(a, "socket,id=softbmc-qmp,reconnect=1,path=/var/lib/soft,,bmc/"
			       "qemu-qmp.sock");
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_chardev_arg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
