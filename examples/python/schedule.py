#!/usr/bin/env python3
"""Calls the lac-timescales C ABI from Python with ctypes: a schedule request, the next review,
and an error case.

    cargo build --release -p lac-timescales-ffi
    python3 examples/python/schedule.py [path/to/liblac_timescales_ffi.so]

The library path is the first argument, else $LACT_LIBRARY, else the release library of this
checkout (target/release/liblac_timescales_ffi.so, found relative to this script, not to the
working directory), else the debug one. Standard library only.

The response is lean: each citation is sent once, in `citations`; an obligation's `citation` is
an index into that table, and `next_review` an index into `obligations`.
"""

import ctypes
import json
import os
import sys

# lact_status values (ffi/include/lac_timescales.h); fixed, never reused.
STATUS_NAMES = {
    0: "LACT_OK",
    1: "LACT_NULL_ARGUMENT",
    2: "LACT_INVALID_UTF8",
    3: "LACT_INVALID_JSON",
    4: "LACT_INVALID_INPUT",
    5: "LACT_DATE_OUT_OF_RANGE",
    6: "LACT_REQUEST_TOO_LARGE",
    7: "LACT_PANIC",
    8: "LACT_INVALID_EVENT",
    9: "LACT_INVALID_DATA",
    10: "LACT_UNSUPPORTED",
    11: "LACT_INTERNAL",
    12: "LACT_OTHER_ERROR",
}
LACT_OK = 0


def load(path):
    lib = ctypes.CDLL(path)
    lib.lact_version.argtypes = []
    lib.lact_version.restype = ctypes.c_char_p  # static: never freed
    # The response is declared as c_void_p, not c_char_p, so that ctypes keeps the pointer
    # (c_char_p would copy the text and lose the pointer lact_string_free needs).
    lib.lact_schedule_json.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.lact_schedule_json.restype = ctypes.c_int
    lib.lact_string_free.argtypes = [ctypes.c_void_p]
    lib.lact_string_free.restype = None
    lib.lact_last_error.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lib.lact_last_error.restype = ctypes.c_size_t
    lib.lact_add_working_days.argtypes = [ctypes.c_int32] * 4 + [ctypes.POINTER(ctypes.c_int32)] * 3
    lib.lact_add_working_days.restype = ctypes.c_int
    return lib


def last_error(lib):
    """The calling thread's last error message: ask for the size, then fetch it whole."""
    need = lib.lact_last_error(None, 0)
    if need == 0:
        return ""
    buf = ctypes.create_string_buffer(need)
    got = lib.lact_last_error(buf, need)
    assert got == need
    return buf.value.decode("utf-8")


def schedule(lib, request):
    """Returns (status, parsed JSON): the response, or the error object."""
    out = ctypes.c_void_p()
    status = lib.lact_schedule_json(json.dumps(request).encode("utf-8"), ctypes.byref(out))
    if not out.value:
        # Not written: NULL_ARGUMENT, PANIC or INTERNAL. The message is in last_error.
        return status, {"error": {"kind": STATUS_NAMES.get(status), "message": last_error(lib)}}
    try:
        text = ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.lact_string_free(out)  # the caller owns the string, whatever the status
    return status, json.loads(text)


def default_library():
    """The checkout's release library (else its debug one), relative to this script."""
    name = {"darwin": "liblac_timescales_ffi.dylib", "win32": "lac_timescales_ffi.dll"}.get(
        sys.platform, "liblac_timescales_ffi.so")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    candidates = [os.path.join(root, "target", profile, name) for profile in ("release", "debug")]
    for path in candidates:
        if os.path.exists(path):
            return path
    sys.exit(f"no library at {candidates[0]}: build it with `cargo build --release -p lac-timescales-ffi`, "
             "or pass its path")


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return
    path = (sys.argv[1] if len(sys.argv) > 1 else None) or os.environ.get("LACT_LIBRARY") or default_library()
    lib = load(path)
    print(f"lac-timescales C ABI {lib.lact_version().decode()} from {path}")

    # A child looked after from Thu 24 Dec 2026 (England): the first review is due within 20
    # working days, skipping Christmas Day, the Boxing Day substitute and New Year's Day.
    request = {
        "jurisdiction": "england",
        "events": [{"event": "became_looked_after", "date": "2026-12-24"}],
    }
    status, response = schedule(lib, request)
    if status != LACT_OK:
        sys.exit(f"unexpected {STATUS_NAMES.get(status)}: {response}")
    nxt = response["obligations"][response["next_review"]]
    citation = response["citations"][nxt["citation"]]
    print(f"Next review: review {nxt['review_number']} ({nxt['action']}) due by {nxt['latest']}, "
          f"{citation['provision']} [{citation['status']}]")
    assert citation["provision"] == "reg 33(1)", citation
    assert nxt["latest"] == "2027-01-26", nxt

    # An error: a review held before the child became looked after.
    bad = {"jurisdiction": "england", "events": [{"event": "review_held", "date": "2026-01-05"}]}
    status, response = schedule(lib, bad)
    print(f"Error case: {STATUS_NAMES.get(status)}, kind {response['error']['kind']}: "
          f"{response['error']['message']}")
    assert STATUS_NAMES.get(status) == "LACT_INVALID_EVENT", status
    assert last_error(lib) == response["error"]["message"]

    # Working-day arithmetic on its own.
    y, m, d = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
    status = lib.lact_add_working_days(2026, 1, 1, 20, ctypes.byref(y), ctypes.byref(m), ctypes.byref(d))
    assert status == LACT_OK, STATUS_NAMES.get(status)
    print(f"20 working days after 2026-01-01: {y.value:04}-{m.value:02}-{d.value:02}")
    assert (y.value, m.value, d.value) == (2026, 1, 29)


if __name__ == "__main__":
    main()
