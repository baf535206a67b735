//! C ABI for lac-timescales (placeholder: being built).
