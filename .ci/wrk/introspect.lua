-- wrk script of `bash .ci/bench introspect`: POST /introspect with a client's Basic credentials and a token.
-- BENCH_AUTHORIZATION and BENCH_TOKEN come from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
wrk.body = "token=" .. os.getenv("BENCH_TOKEN")

