//! Compliance audit (being built).
