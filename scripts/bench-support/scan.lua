-- wrk script: random signed scan URLs, random languages, client addresses from
-- several countries arriving through a trusted proxy (the loopback peer).
local paths = {}
local languages = { "en-GB,en;q=0.9", "fr-FR,fr;q=0.9,en;q=0.5", "de-DE,de;q=0.9,en;q=0.3", "es-ES,es;q=0.9" }
-- FR, US, GB, NL, AU, an address with no country.
local addresses = { "212.27.48.10", "8.8.8.8", "81.2.69.160", "193.0.6.139", "1.1.1.1", "10.9.8.7" }
local threads = {}
local counter = 1

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() * 1000 + id)
    for line in io.lines(args[1]) do
        paths[#paths + 1] = line
    end
end

function request()
    local headers = {
        ["Accept-Language"] = languages[math.random(#languages)],
        ["X-Forwarded-For"] = addresses[math.random(#addresses)],
    }
    return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("scan_requests=%d\n", summary.requests))
    io.write(string.format("scan_non_2xx=%d\n", errors.status))
    io.write(string.format("scan_socket_errors=%d\n", errors.connect + errors.read + errors.write + errors.timeout))
    io.write(string.format("scan_seconds=%.3f\n", summary.duration / 1e6))
    io.write(string.format("scan_p50_ms=%.2f\n", latency:percentile(50) / 1000))
    io.write(string.format("scan_p99_ms=%.2f\n", latency:percentile(99) / 1000))
end
