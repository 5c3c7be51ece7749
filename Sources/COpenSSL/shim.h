#ifndef LAYABAUTH_COPENSSL_SHIM_H
#define LAYABAUTH_COPENSSL_SHIM_H

// The OpenSSL 3 headers LayabAuth uses. Deprecated low-level APIs are not used.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

// BIO_get_mem_data is a function-like macro, which Swift cannot import.
static inline long layab_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// EVP_PKEY_PUBLIC_KEY and EVP_PKEY_KEYPAIR are composite macros, which Swift cannot import.
static inline int layab_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int layab_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }

// XN_FLAG_RFC2253 is a composite macro, which Swift cannot import.
static inline unsigned long layab_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }

#endif
