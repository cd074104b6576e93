// SPDX-License-Identifier: GPL-2.0
/*
 * The peer certificate checks of ike/cert.c on a PKI the openssl command
 * makes for the test (ike_cert_pki.sh): as initiator without an id, only
 * a certificate naming the server's address in its subjectAltName is the
 * server's, not any certificate of the CA; a client's EKU or a key usage
 * without signatures is refused; intermediates the peer sends build the
 * chain; with crl set a revoked certificate, and one whose issuer has no
 * CRL, is refused. Each refusal one line naming the certificate, the
 * cause and the setting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ike/ike_int.h"
#include "ike_helpers.h"
#include "loop.h"

static char dir[] = "/tmp/l2tpsec-ike-cert-XXXXXX";
static bool have_pki;

struct env {
	struct loop		*loop;
	struct ike		*ike;
	struct ike_peer_conf	pc;
};

static char *path(const char *name)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s.pem", dir, name) > 0);
	return p;
}

static X509 *load(const char *name)
{
	char *p = path(name);
	FILE *f = fopen(p, "re");
	X509 *x;

	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	free(p);
	assert_non_null(x);
	return x;
}

static void env_init(struct env *e, bool crl)
{
	memset(e, 0, sizeof(*e));
	e->loop = loop_new();
	assert_non_null(e->loop);
	e->ike = ike_new(e->loop, NULL);
	assert_non_null(e->ike);
	e->ike->conf.ca_file = path("ca");
	if (crl)
		e->ike->conf.crl_file = path("crl");
	assert_int_equal(cert_load(e->ike), 0);
	snprintf(e->pc.name, sizeof(e->pc.name), "office");
}

static void env_fini(struct env *e)
{
	ike_free(e->ike);
	loop_free(e->loop);
}

/*
 * @name's certificate from 192.0.2.1 (with @inter sent along when not
 * NULL), checked as the initiator does: 0 when accepted.
 */
static int check(struct env *e, const char *name, const char *inter)
{
	struct ike_sa sa;
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509 *x = load(name);
	unsigned char *der = NULL;
	int len, ret;

	memset(&sa, 0, sizeof(sa));
	sa.ike = e->ike;
	sa.pc = &e->pc;
	sa.initiator = true;
	sa.remote.sin_family = AF_INET;
	sa.remote.sin_port = htons(500);
	inet_pton(AF_INET, "192.0.2.1", &sa.remote.sin_addr);
	if (inter)
		sk_X509_push(untrusted, load(inter));
	len = i2d_X509(x, &der);
	assert_true(len > 0);
	test_log_clear();
	ret = cert_verify_peer(&sa, der, (size_t)len, untrusted);
	if (!ret)
		ret = cert_check_server(&sa);
	OPENSSL_free(der);
	X509_free(x);
	X509_free(sa.peer_cert);
	sk_X509_pop_free(untrusted, X509_free);
	return ret;
}

static void need_pki(void)
{
	if (!have_pki)
		skip();
}

static void test_server_named(void **state)
{
	struct env e;

	(void)state;
	need_pki();
	env_init(&e, false);
	assert_int_equal(check(&e, "srv", NULL), 0);
	assert_int_equal(check(&e, "ike", NULL), 0);	/* EKU ipsecIKE */
	env_fini(&e);
}

/* Any certificate of the CA is not the server when [peer] has no id. */
static void test_other_name_refused(void **state)
{
	struct env e;

	(void)state;
	need_pki();
	env_init(&e, false);
	assert_int_equal(check(&e, "noname", NULL), -EACCES);
	assert_non_null(test_log_find("CN=someone.example.org is vouched for by our ca but is not this server's: [peer office] has no id, and its subjectAltName does not name 192.0.2.1; set id in [peer office]"));
	/* with an id configured, the id decides (checked in p1_check_id) */
	e.pc.peer_id.set = true;
	assert_int_equal(check(&e, "noname", NULL), 0);
	env_fini(&e);
}

static void test_usage_refused(void **state)
{
	struct env e;

	(void)state;
	need_pki();
	env_init(&e, false);
	assert_int_equal(check(&e, "ekuclient", NULL), -EACCES);
	assert_non_null(test_log_find("CN=client.example.org is not a server's: its extended key usage names neither serverAuth nor ipsecIKE"));
	assert_int_equal(check(&e, "kuenc", NULL), -EACCES);
	assert_non_null(test_log_find("CN=enc.example.org: its key usage does not allow signatures"));
	env_fini(&e);
}

static void test_intermediate_sent(void **state)
{
	struct env e;

	(void)state;
	need_pki();
	env_init(&e, false);
	assert_int_equal(check(&e, "viainter", NULL), -EACCES);
	assert_non_null(test_log_find("certificate untrusted: CN=via.example.org is issued by CN=Test Intermediate"));
	assert_int_equal(check(&e, "viainter", "inter"), 0);
	/* an unrelated CA's certificate sent along does not help */
	assert_int_equal(check(&e, "viainter", "other"), -EACCES);
	env_fini(&e);
}

static void test_crl(void **state)
{
	struct env e;

	(void)state;
	need_pki();
	env_init(&e, true);
	assert_int_equal(check(&e, "srv", NULL), 0);
	assert_int_equal(check(&e, "revoked", NULL), -EACCES);
	assert_non_null(test_log_find("certificate revoked: CN=revoked.example.org (issuer CN=Test CA) is on the revocation list"));
	/* enforced: the intermediate has no CRL in the file */
	assert_int_equal(check(&e, "viainter", "inter"), -EACCES);
	assert_non_null(test_log_find("has no revocation list of its issuer CN=Test Intermediate"));
	env_fini(&e);
	/* without crl, the revoked one passes: the check is the CRL's */
	env_init(&e, false);
	assert_int_equal(check(&e, "revoked", NULL), 0);
	env_fini(&e);
}

/*
 * The private key is a file of secrets: opened without following a
 * symbolic link, and refused when others may read it (its mode was not
 * checked: a 0644 key loaded silently).
 */
static int load_key(const char *key)
{
	struct loop *loop = loop_new();
	struct ike *ike = ike_new(loop, NULL);
	char cert[300], kp[300];
	int ret;

	assert_non_null(ike);
	snprintf(cert, sizeof(cert), "%s/srv.pem", dir);
	snprintf(kp, sizeof(kp), "%s/%s", dir, key);
	ike->conf.cert_file = strdup(cert);
	ike->conf.key_file = strdup(kp);
	test_log_clear();
	ret = cert_load(ike);
	ike_free(ike);
	loop_free(loop);
	return ret;
}

static void test_key_file_checked(void **state)
{
	char cmd[1024];

	(void)state;
	need_pki();
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && cp srv.key k600.key && chmod 600 k600.key && "
		 "cp srv.key k644.key && chmod 644 k644.key && "
		 "ln -sf k600.key klink.key", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(load_key("k600.key"), 0);
	assert_int_equal(load_key("k644.key"), -EPERM);
	assert_non_null(test_log_find("k644.key: mode 0644 lets others read the secrets; chmod 600"));
	assert_int_equal(load_key("klink.key"), -ELOOP);
	assert_non_null(test_log_find("klink.key: is a symbolic link; a file of secrets must be the file itself"));
}

static int setup(void **state)
{
	char cmd[512];

	(void)state;
	test_log_capture(false);
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "command -v openssl >/dev/null && sh daemon/tests/ike_cert_pki.sh %s",
		 dir);
	have_pki = system(cmd) == 0;
	if (!have_pki)
		fprintf(stderr, "ike_cert: no test PKI (openssl command missing?): skipped\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) < 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_named),
		cmocka_unit_test(test_key_file_checked),
		cmocka_unit_test(test_other_name_refused),
		cmocka_unit_test(test_usage_refused),
		cmocka_unit_test(test_intermediate_sent),
		cmocka_unit_test(test_crl),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
