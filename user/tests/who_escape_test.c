// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: `l2tpsec who` prints what a client chose as its user name
 * (and what the daemon's answer carries from peers) with non-printable
 * bytes escaped: a user name cannot clear the admin's screen, recolour
 * it or forge a line, with 7-bit ESC sequences or 8-bit C1 controls.
 * A fake l2tpsecd answers on a socket in a temporary directory.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctlproto.h"
#include "escape.h"
#include "helpers.h"

/* Serve one "who" with @lines, in a child. */
static pid_t fake_daemon(const char *path, const char *lines)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char buf[256];
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			_exit(1);
		while (read(c, buf, sizeof(buf)) > 0)
			;
		if (write(c, lines, strlen(lines)) < 0)
			_exit(1);
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

static void test_who_escapes(void **state)
{
	char dir[] = "/tmp/l2tpsec-who-XXXXXX", path[64];
	const char *argv[] = { "-s", path, "who" };
	struct capture cap;
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sock", dir);
	/* user "a\x1b[2J\x85\x9b" "31m\nroot" in the protocol's %XX form */
	pid = fake_daemon(path,
		"daemon version=1 device=l2tpsec0 pid=1\n"
		"session user=a%1B[2J%85%9B31m%0Aroot role=lns address=10.0.0.2 outer=1.2.3.4 peer-id=1 tunnel=1 session=1 uptime=5\n"
		"session user=alice user-sent=CORP\\alice role=lns address=10.0.0.3 outer=1.2.3.5 peer-id=2 tunnel=1 session=2 uptime=5\n"
		"block user=b%07%9Dx remaining=60\n"
		"ok\n");
	capture_start(&cap);
	assert_int_equal(run_cli(&cap, 3, argv), 0);
	capture_sync(&cap);
	waitpid(pid, &st, 0);
	unlink(path);
	rmdir(dir);
	assert_non_null(strstr(cap.out, "a\\x1b[2J\\x85\\x9b31m\\x0aroot "));
	/* one user, one name: the name it sent beside it */
	assert_non_null(strstr(cap.out, "alice (sent CORP\\\\alice) "));
	assert_non_null(strstr(cap.out,
		"blocked: user b\\x07\\x9dx for 00:01:00 more (l2tpsec unblock user b\\x07\\x9dx)"));
	/* nothing but printable ASCII and newlines */
	for (size_t i = 0; i < cap.out_len; i++)
		assert_true(cap.out[i] == '\n' ||
			    (cap.out[i] >= 0x20 && cap.out[i] < 0x7f));
	capture_end(&cap);
}

/* The helper itself: every class of byte, and cuts at whole escapes. */
static void test_escape_helper(void **state)
{
	const unsigned char all[] = { 'A', ' ', '~', '\\', 0, 0x1f, 0x7f,
				      0x80, 0x9f, 0xa0, 0xff };
	char out[64], small[8];

	(void)state;
	assert_string_equal(l2_escape(out, sizeof(out), all, sizeof(all)),
			    "A ~\\\\\\x00\\x1f\\x7f\\x80\\x9f\\xa0\\xff");
	/* "ab\x01cd" (8 characters) does not fit 7: cut before the escape */
	assert_string_equal(l2_escape_str(small, sizeof(small), "ab\x01" "cd"),
			    "ab...");
	assert_string_equal(l2_escape_str(small, sizeof(small), "abcdefgh"),
			    "abcd...");
	assert_string_equal(l2_escape_str(small, sizeof(small), "abcdefg"),
			    "abcdefg");
	assert_string_equal(l2_escape_str(small, sizeof(small), NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_helper),
		cmocka_unit_test(test_who_escapes),
	};

	return cmocka_run_group_tests_name("who_escape", tests, NULL, NULL);
}
