//! Does each line of the page read plainly for an IRO or a social worker? (adv8, session 8.)
//! Debian's headless `chromium` through `chromedriver`, as `browser.rs` drives it, against the
//! real server binary on a loopback port. Without chromium or chromedriver the test says plainly
//! that it was skipped; under `CI=true` a skip is a failure.
//!
//! The form is filled through the page's own controls (values set and their `change` events sent:
//! `browser.rs` already checks typing dates the way a person does). Expected dates are worked out
//! by hand from the calendar in the comments.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver and the browser it started (its process group), killed when dropped.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).status();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

fn browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("LACT_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|n| on_path(n)))
        .ok_or("no chromium on PATH (Debian package `chromium`)")?;
    let driver = std::env::var_os("LACT_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| on_path("chromedriver"))
        .ok_or("no chromedriver on PATH (Debian package `chromium-driver`)")?;
    Ok((chromium, driver))
}

fn skip(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the browser tests cannot run under CI=true: {why}. .ci/run installs chromium and chromium-driver");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\nSKIPPED: web/tests/browser_plain_words.rs did not run: {why}.\n\
         Install them with `apt-get install -y chromium chromium-driver` (.ci/run does) to run them.\n"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "chromedriver did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start_server() -> (Running, String) {
    let bin = env!("CARGO_BIN_EXE_lac-timescales-web");
    let mut child = Command::new(bin).args(["--port", "0"]).stdout(Stdio::piped()).spawn().expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("the server's first line");
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = first
        .trim()
        .strip_prefix("lac-timescales-web listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    (running, url)
}

async fn connect(chromium: &std::path::Path, driver_port: u16, scratch: &std::path::Path) -> Client {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--lang=en-GB".into(),
        "--window-size=1280,1600".into(),
        format!("--user-data-dir={}", scratch.join("profile").display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args},
    });
    let Value::Object(caps) = caps else { unreachable!() };
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    builder.connect(&format!("http://127.0.0.1:{driver_port}")).await.expect("a WebDriver session with chromium")
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap_or_else(|e| panic!("script {script:?}: {e}"))
}

async fn until(c: &Client, what: &str, expr: &str) {
    let start = Instant::now();
    loop {
        if js(c, &format!("return !!({expr});"), vec![]).await == Value::Bool(true) {
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let body = js(c, "return document.body.innerText;", vec![]).await;
            panic!("timed out waiting for {what} ({expr}); the page says:\n{}", body.as_str().unwrap_or(""));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens a fresh page, fills the form with `case` (`as_at` and `events`, each event's own fields
/// by name) through its controls, and shows the timeline.
async fn show(c: &Client, url: &str, case: Value) {
    c.goto(url).await.expect("open the page");
    until(c, "the page to load its lists", "document.body.dataset.ready === 'true'").await;
    js(
        c,
        r#"
        const s = arguments[0];
        const set = (el, v) => { if (el.type === 'checkbox') el.checked = !!v; else el.value = v; el.dispatchEvent(new Event('change', {bubbles: true})); };
        if (s.as_at) set(document.getElementById('as-at'), s.as_at);
        if (s.profile) set(document.getElementById('profile'), s.profile);
        const rows = document.getElementById('events');
        s.events.forEach((ev, i) => {
          if (i > 0) document.getElementById('add-event').click();
          const row = rows.children[i].dataset.row;
          set(document.getElementById(`ev-${row}-kind`), ev.event);
          set(document.getElementById(`ev-${row}-date`), ev.date);
          for (const [k, v] of Object.entries(ev)) {
            if (k === 'event' || k === 'date') continue;
            set(document.getElementById(`ev-${row}-${k}`), v);
          }
        });
        document.getElementById('timeline').replaceChildren();
        document.getElementById('calculate').click();
        "#,
        vec![case],
    )
    .await;
    until(c, "the timeline", "document.querySelector('#timeline li.ob')").await;
}

async fn inner_text(c: &Client, css: &str) -> String {
    let e = c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.expect(css);
    e.text().await.expect("text").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// No library identifier (a breach kind such as `late_duty`) and no rendering slip shows.
fn assert_plain(text: &str) {
    for junk in ["late_duty", "not_done", "_", "undefined", "null", "NaN", "[object"] {
        assert!(!text.contains(junk), "the page shows {junk:?}:\n{text}");
    }
}

/// Looked after and placed on Mon 5 Jan 2026. The first visit is due within one week: Mon 12 Jan;
/// made on Wed 14 Jan, 2 days late (Tue 13 and Wed 14 are working days). The next is due six weeks
/// after the visit: Wed 25 Feb 2026, not made by the as-at date, Sun 1 Mar 2026. The first review
/// (held Fri 30 Jan 2026) is not late: due 20 working days after 5 Jan, Mon 2 Feb.
async fn visits_read_as_visits(c: &Client, url: &str) {
    let case = json!({"as_at": "2026-03-01", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "placement_started", "date": "2026-01-05"},
        {"event": "social_worker_visit", "date": "2026-01-14"},
        {"event": "review_held", "date": "2026-01-30"},
    ]});
    show(c, url, case).await;
    let problems = inner_text(c, "#attention .problems").await;
    assert!(
        problems.contains(
            "Visit the child within one week of the start of the placement (visit 1): Done late: 2 working days after the deadline; deadline Mon 12 Jan 2026."
        ),
        "{problems}"
    );
    assert!(problems.contains("(visit 2): Overdue: not done by the deadline; deadline Wed 25 Feb 2026."), "{problems}");
    assert!(!problems.contains("(review"), "a visit is not a review: {problems}");
    assert_plain(&problems);
    let visit = js(
        c,
        "return [...document.querySelectorAll('#timeline li.ob')].map(li => li.innerText.replace(/\\s+/g, ' ')).filter(t => t.includes('within one week of the start of the placement'));",
        vec![],
    )
    .await;
    let visit = visit.as_array().and_then(|v| v.first()).and_then(Value::as_str).unwrap_or_default().to_string();
    assert!(visit.starts_with("Mon 12 Jan 2026"), "{visit}");
    assert!(visit.contains("Done Wed 14 Jan Done late: 2 working days after the deadline"), "{visit}");
    assert_plain(&inner_text(c, "#timeline").await);

    // The audit as at Sun 1 Mar 2026 lists the same two breaches, each by its visit.
    js(
        c,
        "const d = document.getElementById('audit-date'); d.value = '2026-03-01'; d.dispatchEvent(new Event('change', {bubbles: true})); document.getElementById('run-audit').click();",
        vec![],
    )
    .await;
    until(c, "the audit's breaches", "document.querySelector('#audit-result ul')").await;
    let breaches = inner_text(c, "#audit-result ul").await;
    assert!(
        breaches.contains(
            "Visit the child within one week of the start of the placement (visit 1): Done late: 2 working days after the deadline"
        ),
        "{breaches}"
    );
    assert!(breaches.contains("(visit 2): Overdue: not done by the deadline"), "{breaches}");
    assert_plain(&breaches);
}

/// Looked after on Mon 7 Dec 2026: the first review is due 20 working days later, skipping Fri 25
/// Dec, Mon 28 Dec (Boxing Day's substitute) and Fri 1 Jan 2027: 8-11 Dec (4), 14-18 (9), 21-24
/// (13), 29-31 (16), Mon 4-Thu 7 Jan (20): Thu 7 Jan 2027. The review met on Wed 6 Jan and was
/// adjourned; it must be completed within 20 working days: 7-8 Jan (2), 11-15 (7), 18-22 (12),
/// 25-29 (17), Mon 1-Wed 3 Feb (20): Wed 3 Feb; completed Tue 2 Feb. The second review counts
/// from the adjourned meeting (the default `original` date): within 3 months, Tue 6 Apr 2027.
async fn an_adjourned_review_across_new_year(c: &Client, url: &str) {
    let case = json!({"as_at": "2027-02-10", "events": [
        {"event": "became_looked_after", "date": "2026-12-07"},
        {"event": "review_adjourned", "date": "2027-01-06"},
        {"event": "review_held", "date": "2027-02-02"},
    ]});
    show(c, url, case).await;
    let next = inner_text(c, "#next-review").await;
    assert!(next.contains("Review 2 (looked-after review): hold by Tue 6 Apr 2027"), "{next}");
    let headings =
        js(c, "return [...document.querySelectorAll('#timeline h4, #timeline h3')].map(h => h.innerText);", vec![])
            .await;
    let headings: Vec<&str> = headings.as_array().expect("headings").iter().filter_map(Value::as_str).collect();
    assert!(
        headings.contains(&"Review 1 \u{2014} held Wed 6 Jan 2027, adjourned and completed Tue 2 Feb 2027"),
        "{headings:?}"
    );
    let rows = js(
        c,
        "return [...document.querySelectorAll('#timeline li.ob')].map(li => li.innerText.replace(/\\s+/g, ' '));",
        vec![],
    )
    .await;
    let rows: Vec<&str> = rows.as_array().expect("rows").iter().filter_map(Value::as_str).collect();
    let row = |action: &str| {
        rows.iter().find(|r| r.contains(action)).copied().unwrap_or_else(|| panic!("{action}: {rows:?}"))
    };
    assert!(row("Hold the first looked-after review").starts_with("Thu 7 Jan 2027"), "{rows:?}");
    assert!(row("Complete the adjourned review").starts_with("Wed 3 Feb 2027"), "{rows:?}");
    assert!(row("Complete the adjourned review").contains("Done Tue 2 Feb"), "{rows:?}");
    assert_plain(&inner_text(c, "#timeline").await);
}

/// Dudley: looked after Mon 5 Jan 2026, first review Thu 29 Jan 2026. The second is due within 3
/// months (statute) and 90 days (Dudley), both Wed 29 Apr 2026 (29 Jan + 90 days: 2 to 31 Jan, 28
/// in February, 31 in March, 29 in April). On Mon 20 Apr it was moved from Fri 24 Apr to Wed 6 May,
/// past that date, and held then: 4 working days late (30 Apr, 1 May, Tue 5 and Wed 6 May; Mon 4
/// May is the early May bank holiday). The authorisation's action names the review already, so
/// the page does not add "(review 2)" to it again.
async fn a_moved_review_is_named_once(c: &Client, url: &str) {
    let case = json!({"as_at": "2026-05-20", "profile": "dudley", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-29"},
        {"event": "review_rearranged", "date": "2026-04-20", "from": "2026-04-24", "to": "2026-05-06"},
        {"event": "review_held", "date": "2026-05-06"},
    ]});
    show(c, url, case).await;
    let problems = inner_text(c, "#attention .problems").await;
    assert!(
        problems.contains("Hold the second looked-after review (review 2): Held late: 4 working days after the deadline; deadline Wed 29 Apr 2026."),
        "{problems}"
    );
    assert_eq!(problems.matches("review 2").count(), 2, "review 2 named once per line: {problems}");
    // One deadline on the line, named as the law's, and the one date to act by: the day of the
    // move (adv8: the line said "Moved past the legal deadline (Wed 29 Apr 2026); deadline Mon 20
    // Apr 2026", two deadlines, and the case's dates as 2026-04-24).
    let start = problems.find("Authorise moving review 2").unwrap_or_else(|| panic!("no authorisation: {problems}"));
    let line = problems[start..].split(". ").next().unwrap_or_default();
    assert!(
        line.starts_with(
            "Authorise moving review 2 from Fri 24 Apr 2026 to Wed 6 May 2026: past its statutory date Wed 29 Apr 2026 ("
        ),
        "{line}"
    );
    assert!(
        line.ends_with(
            "): The new date is after the legal deadline (Wed 29 Apr 2026); the IRO service manager's authority is \
             needed, by Mon 20 Apr 2026, the day the move was made"
        ),
        "{line}"
    );
    assert_eq!(line.matches("deadline").count(), 1, "{line}");
    assert_plain(&problems);

    // The first review's explanation says when it was held, by the page's own row number (row
    // 2), not as what "triggered" it.
    js(
        c,
        "const li = [...document.querySelectorAll('#timeline li.ob')].find(li => li.innerText.includes('Hold the first looked-after review')); li.querySelector('.ob-toggle').click();",
        vec![],
    )
    .await;
    let open = "[...document.querySelectorAll('#timeline li.ob')].find(li => li.innerText.includes('Hold the first looked-after review')).querySelector('.explain')";
    until(c, "the first review's explanation", &format!("{open}.innerText.includes('Deadline')")).await;
    let panel = js(c, &format!("return {open}.innerText;"), vec![]).await;
    let panel = panel.as_str().unwrap_or_default();
    assert!(panel.contains("Done\nThu 29 Jan 2026 (event 2), by the deadline."), "{panel}");
    assert!(panel.contains("Triggered by\nevent 1: Became looked after, Mon 5 Jan 2026"), "{panel}");
    assert!(!panel.contains("event 2: Review held"), "{panel}");
}

/// Dudley: the review moved past Dudley's own deadline but not the law's. Looked after Mon 5 Jan
/// 2026; reviews held Thu 29 Jan and Wed 29 Apr 2026 (both on time: 3 months and 90 days from 29
/// Jan are both 29 Apr). The third is due within 180 days of Wed 29 Apr (1 to 30 Apr, 31 in May,
/// 30 in June, 31 in July, 31 in August, 30 in September, 26 in October): Mon 26 Oct 2026, before
/// statute's six months (Thu 29 Oct). On Mon 5 Oct it was moved from Tue 20 Oct to Wed 28 Oct:
/// past Dudley's date, within the law's. Before, the line said it was "Moved past the legal
/// deadline (Monday 26 October 2026) (against the local procedure's deadline, dudley; the legal
/// deadline was met)": the legal deadline both passed and met.
async fn a_move_past_the_local_deadline_only(c: &Client, url: &str) {
    let case = json!({"as_at": "2026-10-06", "profile": "dudley", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-29"},
        {"event": "review_held", "date": "2026-04-29"},
        {"event": "review_rearranged", "date": "2026-10-05", "from": "2026-10-20", "to": "2026-10-28"},
    ]});
    show(c, url, case).await;
    let problems = inner_text(c, "#attention .problems").await;
    assert!(
        problems.contains(
            "Authorise moving review 3 from Tue 20 Oct 2026 to Wed 28 Oct 2026: past its date under the local \
             procedure (dudley) Mon 26 Oct 2026 ("
        ),
        "{problems}"
    );
    assert!(
        problems.contains(
            "): The new date is after the local procedure's deadline (dudley: Mon 26 Oct 2026): a breach of that \
             procedure, not of the regulations; the IRO service manager's authority is needed, by Mon 5 Oct 2026, \
             the day the move was made."
        ),
        "{problems}"
    );
    assert!(!problems.contains("legal deadline"), "{problems}");
    assert_plain(&problems);
}

/// Statute alone has no authorisation: the move is the review's own breach. Looked after Mon 5 Jan
/// 2026, first review Thu 29 Jan; the second is due within 3 months, Wed 29 Apr 2026. On Mon 20
/// Apr it was moved from Fri 24 Apr to Wed 6 May. The line says the move and the one deadline.
async fn a_move_under_statute_alone(c: &Client, url: &str) {
    let case = json!({"as_at": "2026-04-21", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-29"},
        {"event": "review_rearranged", "date": "2026-04-20", "from": "2026-04-24", "to": "2026-05-06"},
    ]});
    show(c, url, case).await;
    let problems = inner_text(c, "#attention .problems").await;
    assert!(
        problems.contains(
            "Hold the second looked-after review (review 2): Moved from Fri 24 Apr 2026 to Wed 6 May 2026, after \
             the legal deadline (Wed 29 Apr 2026)."
        ),
        "{problems}"
    );
    assert_eq!(problems.matches("deadline").count(), 1, "{problems}");
    assert_plain(&problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_line_reads_plainly() {
    let (chromium, driver) = match browser() {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let scratch = Scratch(std::env::temp_dir().join(format!("lact-web-words-{}-{nanos}", std::process::id())));
    std::fs::create_dir_all(scratch.0.join("profile")).expect("scratch dir");
    let (_server, url) = start_server();
    let driver_port = free_port();
    let mut command = Command::new(&driver);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let _driver = Group(
        command
            .arg(format!("--port={driver_port}"))
            .env("LANG", "en_GB.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display())),
    );
    wait_for_port(driver_port);
    let c = connect(&chromium, driver_port, &scratch.0).await;
    visits_read_as_visits(&c, &url).await;
    an_adjourned_review_across_new_year(&c, &url).await;
    a_moved_review_is_named_once(&c, &url).await;
    a_move_past_the_local_deadline_only(&c, &url).await;
    a_move_under_statute_alone(&c, &url).await;
    c.close().await.expect("close the browser");
}
