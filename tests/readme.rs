//! The README stays true: every duty, regime, role, anchor and event it must document is there.

use lac_timescales::model::{Anchor, Duty, Regime, Role};

const README: &str = include_str!("../README.md");

#[test]
fn readme_lists_every_id() {
    let ids = Duty::ALL
        .iter()
        .map(|d| d.as_str())
        .chain(Regime::ALL.iter().map(|r| r.as_str()))
        .chain(Role::ALL.iter().map(|r| r.as_str()))
        .chain(Anchor::ALL.iter().map(|a| a.as_str()));
    for id in ids {
        assert!(README.contains(&format!("`{id}`")), "README.md does not document `{id}`");
    }
    for event in ["became_looked_after", "review_rearranged", "duty_done", "secure_review_held", "care_plan_started"] {
        assert!(README.contains(event), "README.md does not list event {event}");
    }
    for cmd in ["cargo run --example schedule", "cargo test --workspace"] {
        assert!(README.contains(cmd), "README.md lacks the command {cmd}");
    }
}
