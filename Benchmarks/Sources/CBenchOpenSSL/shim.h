#ifndef LAYABAUTH_BENCH_OPENSSL_SHIM_H
#define LAYABAUTH_BENCH_OPENSSL_SHIM_H

// The OpenSSL 3 calls the raw-primitive benchmarks make, exactly as OpenSSL documents them.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rsa.h>
#include <openssl/ecdsa.h>
#include <openssl/params.h>

#endif
