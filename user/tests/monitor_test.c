// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: `l2tpsec monitor` (cli/cmd_monitor.c): the timestamp, the
 * daemon's "event" and "lost" records and the module's events as text
 * and as JSON lines (each line one valid JSON object, read back with
 * jansson), hostile bytes in the daemon's values escaped, records that
 * are not events left out; and the command end to end against a fake
 * l2tpsecd that streams events and then goes away, or refuses.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <jansson.h>

#include "helpers.h"
#include "ctlproto.h"
#include "monitor.h"
#include "objects.h"

/* 2024-12-08 01:40:27.123 UTC */
#define T0	1733622027123ull

static int setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static struct l2_ctl_record *parse(const char *line)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));

	assert_non_null(r);
	assert_int_equal(l2_ctl_parse(line, strlen(line), r), 0);
	return r;
}

/* What @fn wrote to a memory stream, NUL-terminated (free it). */
struct mem {
	char	*buf;
	size_t	len;
	FILE	*f;
};

static void mem_open(struct mem *m)
{
	memset(m, 0, sizeof(*m));
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static void mem_close(struct mem *m)
{
	fclose(m->f);
}

static void test_time(void **state)
{
	char buf[48];

	(void)state;
	assert_string_equal(monitor_time(buf, sizeof(buf), T0),
			    "2024-12-08T01:40:27.123+0000");
	assert_string_equal(monitor_time(buf, sizeof(buf), 5),
			    "1970-01-01T00:00:00.005+0000");
	assert_true(monitor_now_ms() > T0);
}

static const char login[] =
	"event kind=login time-ms=1733622027123 peer=192.0.2.2 port=4500 "
	"user=alice%0a%1b[31m address=10.99.0.10 layer=ppp "
	"detail=as%20server,%20authentication%20MS-CHAPv2\n";
static const char authfail[] =
	"event kind=auth-failure time-ms=1733622028000 peer=192.0.2.3 "
	"user=bob class=8 class-name=ppp-auth layer=ppp "
	"detail=session%20ended:%20authentication%20failed\n";

static void test_daemon_text(void **state)
{
	struct l2_ctl_record *r;
	struct mem m;

	(void)state;
	mem_open(&m);
	r = parse(login);
	assert_int_equal(monitor_daemon_record(m.f, false, r), 1);
	free(r);
	r = parse(authfail);
	assert_int_equal(monitor_daemon_record(m.f, false, r), 1);
	free(r);
	/* not an event: nothing */
	r = parse("daemon version=1 device=l2tpsec0 pid=1 sessions=0\n");
	assert_int_equal(monitor_daemon_record(m.f, false, r), 0);
	free(r);
	r = parse("lost count=7\n");
	assert_int_equal(monitor_daemon_record(m.f, false, r), 1);
	free(r);
	mem_close(&m);
	print_message("%s", m.buf);
	/* the user's newline and ESC are escaped, not passed to the terminal */
	assert_non_null(strstr(m.buf,
		"2024-12-08T01:40:27.123+0000 daemon login peer 192.0.2.2:4500 user alice\\x0a\\x1b[31m address 10.99.0.10 layer ppp: as server, authentication MS-CHAPv2\n"));
	assert_non_null(strstr(m.buf,
		"2024-12-08T01:40:28.000+0000 daemon auth-failure peer 192.0.2.3 user bob class ppp-auth layer ppp: session ended: authentication failed\n"));
	assert_non_null(strstr(m.buf, " daemon lost 7 events: this monitor read too slowly"));
	assert_null(strstr(m.buf, "version"));
	assert_null(strchr(m.buf, '\x1b'));
	free(m.buf);
}

/* Each line of @text one JSON object; the @i-th returned. */
static json_t *json_line(const char *text, unsigned int i)
{
	const char *p = text, *nl;
	json_error_t err;
	json_t *o;

	while (i--) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	nl = strchr(p, '\n');
	assert_non_null(nl);
	o = json_loadb(p, (size_t)(nl - p), 0, &err);
	if (!o)
		fail_msg("not JSON: %s: %.*s", err.text, (int)(nl - p), p);
	assert_true(json_is_object(o));
	return o;
}

static void test_daemon_json(void **state)
{
	struct l2_ctl_record *r;
	struct mem m;
	json_t *o;

	(void)state;
	mem_open(&m);
	r = parse(login);
	monitor_daemon_record(m.f, true, r);
	free(r);
	r = parse(authfail);
	monitor_daemon_record(m.f, true, r);
	free(r);
	r = parse("lost count=7\n");
	monitor_daemon_record(m.f, true, r);
	free(r);
	mem_close(&m);
	o = json_line(m.buf, 0);
	assert_string_equal(json_string_value(json_object_get(o, "time")),
			    "2024-12-08T01:40:27.123+0000");
	assert_int_equal(json_integer_value(json_object_get(o, "time_ms")),
			 (json_int_t)T0);
	assert_string_equal(json_string_value(json_object_get(o, "source")), "daemon");
	assert_string_equal(json_string_value(json_object_get(o, "event")), "login");
	assert_string_equal(json_string_value(json_object_get(o, "user")),
			    "alice\n\x1b[31m");
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 4500);
	assert_null(json_object_get(o, "class"));
	json_decref(o);
	o = json_line(m.buf, 1);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "auth-failure");
	assert_int_equal(json_integer_value(json_object_get(o, "class")), 8);
	assert_string_equal(json_string_value(json_object_get(o, "class_name")), "ppp-auth");
	json_decref(o);
	o = json_line(m.buf, 2);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "lost");
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 7);
	json_decref(o);
	free(m.buf);
}

static void test_module(void **state)
{
	struct l2_event e;
	struct mem m;
	json_t *o;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.kind = L2TPSEC_EVENT_PEER_FLOAT;
	e.ifindex = 3;
	e.peer_id = 1;
	e.remote.s_addr = htonl(0xc0000202);
	e.remote_port = 4501;
	e.has = L2_HAS(L2TPSEC_A_EVENT_PEER_ID) |
		L2_HAS(L2TPSEC_A_EVENT_REMOTE_IPV4) |
		L2_HAS(L2TPSEC_A_EVENT_REMOTE_PORT);
	mem_open(&m);
	monitor_module_event(m.f, false, T0, &e, "l2tpsec0");
	monitor_module_event(m.f, true, T0, &e, "l2tpsec0");
	mem_close(&m);
	print_message("%s", m.buf);
	assert_non_null(strstr(m.buf,
		"2024-12-08T01:40:27.123+0000 module peer-float dev l2tpsec0 peer 1 remote 192.0.2.2 rport 4501\n"));
	o = json_line(m.buf, 1);
	assert_string_equal(json_string_value(json_object_get(o, "source")), "module");
	assert_string_equal(json_string_value(json_object_get(o, "time")),
			    "2024-12-08T01:40:27.123+0000");
	assert_string_equal(json_string_value(json_object_get(o, "event")), "peer-float");
	assert_int_equal(json_integer_value(json_object_get(o, "remote_port")), 4501);
	json_decref(o);
	free(m.buf);
}

/* A fake l2tpsecd: reads the request line, checks it, streams @lines, goes. */
static pid_t fake_daemon(const char *path, const char *lines)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char buf[64];
		size_t have = 0;
		ssize_t n;
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			_exit(1);
		/* the client keeps its end open: read up to the newline */
		while (have < sizeof(buf) - 1 && !memchr(buf, '\n', have)) {
			n = read(c, buf + have, sizeof(buf) - 1 - have);
			if (n <= 0)
				_exit(1);
			have += (size_t)n;
		}
		buf[have] = '\0';
		if (strcmp(buf, "events\n"))
			_exit(2);
		if (write(c, lines, strlen(lines)) < 0)
			_exit(1);
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

static void run_monitor(const char *lines, bool json, struct capture *cap,
			int *ret)
{
	char dir[] = "/tmp/l2tpsec-mon-XXXXXX", sock[64];
	pid_t pid;
	int st;

	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	pid = fake_daemon(sock, lines);
	capture_start(cap);
	if (json)
		*ret = RUN(cap, "-j", "-s", sock, "monitor", "daemon");
	else
		*ret = RUN(cap, "-s", sock, "monitor", "daemon");
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	unlink(sock);
	rmdir(dir);
}

static void test_command(void **state)
{
	char stream[2048];
	struct capture cap;
	int ret;

	(void)state;
	snprintf(stream, sizeof(stream), "daemon version=1 device=l2tpsec0 pid=4 sessions=0\n%s%slost count=2\n",
		 login, authfail);
	run_monitor(stream, false, &cap, &ret);
	print_message("out: %serr: %s", cap.out, cap.err);
	/* it ends when the daemon goes, and says so */
	assert_int_not_equal(ret, 0);
	assert_non_null(strstr(cap.err, "l2tpsecd closed the event stream"));
	assert_non_null(strstr(cap.out, " daemon login peer 192.0.2.2:4500 user alice"));
	assert_non_null(strstr(cap.out, " daemon auth-failure peer 192.0.2.3"));
	assert_non_null(strstr(cap.out, " daemon lost 2 events"));
	capture_end(&cap);

	run_monitor(stream, true, &cap, &ret);
	assert_int_equal(strlen(cap.out) > 0, 1);
	json_decref(json_line(cap.out, 0));
	json_decref(json_line(cap.out, 1));
	json_decref(json_line(cap.out, 2));
	capture_end(&cap);

	/* refused (the subscriber limit): the daemon's reason, exit 1 */
	run_monitor("error message=events:%208%20l2tpsec%20monitor%20are%20already%20listening\n",
		    false, &cap, &ret);
	assert_int_not_equal(ret, 0);
	assert_non_null(strstr(cap.err, "events: 8 l2tpsec monitor are already listening"));
	assert_string_equal(cap.out, "");
	capture_end(&cap);

	/* no daemon at all, asked for the daemon's: an error */
	capture_start(&cap);
	ret = RUN(&cap, "-s", "/nonexistent/sock", "monitor", "daemon");
	assert_int_not_equal(ret, 0);
	assert_non_null(strstr(cap.err, "no l2tpsecd answers"));
	capture_end(&cap);

	capture_start(&cap);
	ret = RUN(&cap, "monitor", "everything");
	assert_int_not_equal(ret, 0);
	assert_non_null(strstr(cap.err, "expected all, daemon or module"));
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_daemon_text),
		cmocka_unit_test(test_daemon_json),
		cmocka_unit_test(test_module),
		cmocka_unit_test(test_command),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
