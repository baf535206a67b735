//! The page in a real browser: Debian's headless `chromium`, driven through `chromedriver`
//! (package `chromium-driver`) by the fantoccini WebDriver client, against the real server
//! binary on a loopback port.
//!
//! Without chromium or chromedriver these tests print plainly that they were skipped and why;
//! under `CI=true` a skip is a failure (`.ci/run` installs both). `LACT_WEB_SCREENSHOT=path.png`
//! also saves a screenshot of the page (as in `docs/web.png`), and `LACT_WEB_PDF=path.pdf` the printed
//! page.
//!
//! Expected dates are worked out by hand from the calendar in the comments.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Kills a child process when dropped, so that a failing test leaves nothing running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Kills a child and every process it started (its own process group) when dropped: chromedriver
/// and the browser it launched, even when a scenario fails before the session is closed.
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

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The browser and its driver, or why they cannot be used.
fn browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("LACT_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]))
        .ok_or("no chromium on PATH (Debian package `chromium`)")?;
    let driver = std::env::var_os("LACT_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| on_path(&["chromedriver"]))
        .ok_or("no chromedriver on PATH (Debian package `chromium-driver`)")?;
    Ok((chromium, driver))
}

/// Says plainly that the browser tests were skipped and why (straight to the terminal, past the
/// test harness's output capture); under `CI=true` a skip is a failure.
fn skip(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the browser tests cannot run under CI=true: {why}. .ci/run installs chromium and chromium-driver");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\nSKIPPED: the web page's browser tests (web/tests/browser.rs) did not run: {why}.\n\
         Install them with `apt-get install -y chromium chromium-driver` (.ci/run does) to run them.\n"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "{what} did not start listening on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts the server binary on a free loopback port; returns it and its base URL.
fn start_server() -> (Running, String) {
    let bin = env!("CARGO_BIN_EXE_lac-timescales-web");
    let mut child = Command::new(bin).args(["--port", "0"]).stdout(Stdio::piped()).spawn().expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("the server's first line");
    // Keep reading, so that the server never writes to a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = first
        .trim()
        .strip_prefix("lac-timescales-web listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    (running, url)
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir() -> Scratch {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("lact-web-browser-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(dir.join("profile")).expect("scratch dir");
    std::fs::create_dir_all(dir.join("downloads")).expect("scratch dir");
    Scratch(dir)
}

async fn connect(chromium: &Path, driver_port: u16, scratch: &Path) -> Client {
    let args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--lang=en-GB".into(),
        "--window-size=1280,1600".into(),
        format!("--user-data-dir={}", scratch.join("profile").display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": args,
            "prefs": {
                "intl.accept_languages": "en-GB",
                "download.default_directory": scratch.join("downloads").display().to_string(),
                "download.prompt_for_download": false,
            },
        },
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    builder.connect(&format!("http://127.0.0.1:{driver_port}")).await.expect("a WebDriver session with chromium")
}

// ------------------------------------------------------------------------------------ helpers

async fn el(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn text(c: &Client, css: &str) -> String {
    el(c, css).await.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap_or_else(|e| panic!("script {script:?}: {e}"))
}

/// Polls a JavaScript expression until it is true.
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

/// Types a date into a date box the way a person does: the digits in the order of the browser's
/// own date format (day, month, year in an en-GB browser; Debian's chromium without the
/// `chromium-l10n` package has only en-US, month first), then checks the box holds it.
async fn type_date(c: &Client, css: &str, iso: &str) {
    let input = el(c, css).await;
    let (y, m, d) = (&iso[0..4], &iso[5..7], &iso[8..10]);
    let order = js(
        c,
        "return Intl.DateTimeFormat().formatToParts(new Date(2001, 1, 3)).map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t));",
        vec![],
    )
    .await;
    let digits: String = order
        .as_array()
        .expect("date parts")
        .iter()
        .map(|p| match p.as_str() {
            Some("day") => d,
            Some("month") => m,
            _ => y,
        })
        .collect();
    // Focus puts the caret in the first segment, as a Tab into the box does.
    js(c, "arguments[0].focus();", vec![serde_json::to_value(&input).expect("element")]).await;
    input.send_keys(&digits).await.expect("type the date");
    let value = input.prop("value").await.expect("value");
    assert_eq!(value.as_deref(), Some(iso), "typed {digits} ({order}) into {css}");
}

/// Nothing on the page reads "undefined", "null", "NaN" or "[object ...]" (a rendering slip).
async fn no_junk(c: &Client) {
    let body = js(c, "return document.body.innerText;", vec![]).await;
    let body = body.as_str().unwrap_or("");
    for junk in ["undefined", "null", "NaN", "[object"] {
        assert!(!body.split_whitespace().any(|w| w.contains(junk)), "the page shows {junk:?}:\n{body}");
    }
}

/// Every form control has a label a screen reader announces, and every button a name.
async fn every_control_labelled(c: &Client) {
    let unlabelled = js(
        c,
        "return [...document.querySelectorAll('input, select, textarea')].filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.id || e.outerHTML)\
           .concat([...document.querySelectorAll('button')].filter(b => !b.innerText.trim() && !b.getAttribute('aria-label')).map(b => b.outerHTML));",
        vec![],
    )
    .await;
    assert_eq!(unlabelled, json!([]), "controls without a label");
}

async fn click(c: &Client, css: &str) {
    el(c, css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn select(c: &Client, css: &str, value: &str) {
    el(c, css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

async fn show_timeline(c: &Client) {
    js(c, "window.__shown = document.getElementById('timeline').childElementCount; document.getElementById('timeline').replaceChildren();", vec![]).await;
    click(c, "#calculate").await;
}

async fn fresh_page(c: &Client, url: &str) {
    c.goto(url).await.expect("open the page");
    until(c, "the page to load its lists", "document.body.dataset.ready === 'true'").await;
}

// ------------------------------------------------------------------------------------ scenarios

/// Looked after on Thu 24 Dec 2026: the first review is due within 20 working days, skipping
/// Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute for Sat 26 Dec) and
/// Fri 1 Jan 2027 (New Year's Day): 29-31 Dec (3), 4-8 Jan (8), 11-15 (13), 18-22 (18), Mon 25
/// (19), Tue 26 Jan 2027 (20).
async fn first_review_and_its_explanation(c: &Client, url: &str) {
    fresh_page(c, url).await;
    // The stylesheet and the scripts were allowed by the page's Content-Security-Policy: the
    // scripts ran (the page is ready) and the stylesheet applies (the primary button is green).
    let bg = el(c, "#calculate").await.css_value("background-color").await.expect("css");
    assert_eq!(bg, "rgba(0, 112, 60, 1)", "style.css applied under the CSP");
    assert_eq!(js(c, "return document.querySelectorAll('script:not([src])').length;", vec![]).await, json!(0));

    assert_eq!(el(c, "#ev-1-kind").await.prop("value").await.unwrap().as_deref(), Some("became_looked_after"));
    every_control_labelled(c).await;
    type_date(c, "#ev-1-date", "2026-12-24").await;
    type_date(c, "#as-at", "2026-12-24").await;
    show_timeline(c).await;
    until(c, "the next review", "document.querySelector('#next-review strong')").await;
    let next = text(c, "#next-review").await;
    assert!(next.contains("Review 1 (looked-after review): hold by Tue 26 Jan 2027"), "{next}");
    no_junk(c).await;

    // Open the explanation from the card.
    let open = el(c, "#next-review button").await;
    open.click().await.expect("open the explanation");
    until(c, "an explanation", "document.querySelector('.ob-toggle[aria-expanded=true]')").await;
    let id = el(c, ".ob-toggle[aria-expanded=true]").await.attr("aria-controls").await.unwrap().unwrap();
    let panel = text(c, &format!("#{id}")).await;
    for want in [
        "Triggered by\nevent 1: Became looked after, Thu 24 Dec 2026",
        "Period\nWithin 20 working days after it",
        "Days skipped\nFri 25 Dec 2026 (Christmas Day), Mon 28 Dec 2026 (Boxing Day (substitute day)), Fri 1 Jan 2027 (New Year's Day).",
        "Deadline\nTue 26 Jan 2027.",
        "checked against the text of the law or procedure",
        "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 33(1)",
    ] {
        assert!(panel.contains(want), "explanation lacks {want:?}:\n{panel}");
    }
    assert_eq!(text(c, &format!("#{id} .badge-v")).await, "V");

    // Keyboard: Enter on a focused duty closes it again; Enter on another opens it.
    let toggle = el(c, ".ob-toggle[aria-expanded=true]").await;
    toggle.send_keys(&Key::Enter).await.expect("Enter");
    until(c, "the explanation to close", &format!("document.getElementById('{id}').hidden")).await;
}

/// A review held on Wed 20 Jan 2027 moves the next review to within 3 months of it: Tue 20 Apr
/// 2027. The second review adjourned on Wed 14 Apr 2027 must be completed within 20 working days:
/// 15, 16 (2), 19-23 (7), 26-30 Apr (12), Mon 3 May is the early May bank holiday, 4-7 (16),
/// 10-13 May (20): Thu 13 May 2027. The third review counts from the adjourned meeting (the
/// default `original` date): within 6 months, Thu 14 Oct 2027.
async fn a_review_and_an_adjournment_move_the_deadlines(c: &Client) {
    click(c, "#add-event").await;
    // The new row's kind box has the focus, ready for the keyboard.
    let focused = js(c, "return document.activeElement.id;", vec![]).await;
    assert_eq!(focused, json!("ev-2-kind"));
    assert_eq!(el(c, "#ev-2-kind").await.prop("value").await.unwrap().as_deref(), Some("review_held"));
    type_date(c, "#ev-2-date", "2027-01-20").await;
    el(c, "#as-at").await.clear().await.expect("clear");
    until(c, "the out-of-date notice", "document.getElementById('stale')").await;
    show_timeline(c).await;
    until(
        c,
        "the next review to move",
        "/Review 2 .*hold by Tue 20 Apr 2027/.test(document.getElementById('next-review').innerText)",
    )
    .await;
    let first = text(c, "#timeline").await;
    assert!(first.contains("Review 1 \u{2014} held Wed 20 Jan 2027"), "{first}");

    click(c, "#add-event").await;
    select(c, "#ev-3-kind", "review_adjourned").await;
    type_date(c, "#ev-3-date", "2027-04-14").await;
    show_timeline(c).await;
    until(
        c,
        "the next review to move again",
        "/Review 3 .*hold by Thu 14 Oct 2027/.test(document.getElementById('next-review').innerText)",
    )
    .await;
    let adjourned = js(
        c,
        "return [...document.querySelectorAll('#timeline li.ob')].map(li => li.innerText.replace(/\\s+/g, ' ')).filter(t => t.includes('Complete the adjourned review'));",
        vec![],
    )
    .await;
    let rows = adjourned.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{adjourned}");
    assert!(rows[0].as_str().unwrap().starts_with("Thu 13 May 2027"), "{adjourned}");
    no_junk(c).await;
}

/// The role filter shows the duties whose rules name a role.
async fn role_filter(c: &Client) {
    select(c, "#role-filter", "iro").await;
    let roles = js(
        c,
        "return [...document.querySelectorAll('#timeline li.ob')].filter(li => !li.hidden).map(li => li.dataset.roles);",
        vec![],
    )
    .await;
    let roles = roles.as_array().unwrap();
    let has_iro = |r: &Value| r.as_str().unwrap_or("").split(' ').any(|x| x == "iro");
    assert!(!roles.is_empty() && roles.iter().all(has_iro), "{roles:?}");
    let hidden =
        js(c, "return [...document.querySelectorAll('#timeline li.ob')].filter(li => li.hidden).length;", vec![]).await;
    assert!(hidden.as_u64().unwrap() > 0);
    assert!(text(c, "#filter-note").await.starts_with("Showing "));
    select(c, "#role-filter", "").await;
}

/// An error from the library appears next to the field that caused it, in its words.
async fn errors_by_the_field(c: &Client) {
    // Event 3 (index 2) dated before event 2.
    type_date(c, "#ev-3-date", "2027-01-01").await;
    click(c, "#calculate").await;
    until(c, "the error by event 3's date", "!document.getElementById('ev-3-date-error').hidden").await;
    assert_eq!(
        text(c, "#ev-3-date-error").await,
        "event 2 (review_adjourned): date \"2027-01-01\": events must be in date order: event 1 is dated 2027-01-20"
    );
    assert_eq!(el(c, "#ev-3-date").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert!(text(c, "#form-error").await.starts_with("There is a problem"));
    // The summary's link takes the keyboard to the field.
    click(c, "#form-error a").await;
    assert_eq!(js(c, "return document.activeElement.id;", vec![]).await, json!("ev-3-date"));
    type_date(c, "#ev-3-date", "2027-04-14").await;
    show_timeline(c).await;
    until(
        c,
        "the error to clear",
        "document.getElementById('ev-3-date-error').hidden && document.querySelector('#timeline li')",
    )
    .await;
}

/// Downloads: CSV and iCalendar from the library's exports, JSON as answered.
async fn downloads(c: &Client, dir: &Path) {
    for (button, file, starts) in [
        ("#download-csv", "schedule.csv", "index,duty,role,action,"),
        ("#download-ics", "schedule.ics", "BEGIN:VCALENDAR\r\n"),
        ("#download-json", "schedule.json", "{\"citations\":"),
    ] {
        click(c, button).await;
        let path = dir.join(file);
        let start = Instant::now();
        let body = loop {
            if let Ok(b) = std::fs::read_to_string(&path) {
                if !b.is_empty() {
                    break b;
                }
            }
            assert!(start.elapsed() < Duration::from_secs(15), "{file} was not downloaded into {}", dir.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(body.starts_with(starts), "{file}: {}", &body[..body.len().min(200)]);
    }
    let ics = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
    assert!(ics.contains("DUE;VALUE=DATE:20271014\r\n"), "review 3's day to act by");
}

/// Review 1 was held on Wed 20 Jan 2027 against a deadline of Tue 26 Jan: 4 working days (21,
/// 22, 25, 26 Jan) and 6 calendar days to spare.
async fn audit(c: &Client) {
    let date = el(c, "#audit-date").await;
    assert!(date.is_displayed().await.unwrap());
    type_date(c, "#audit-date", "2027-04-30").await;
    click(c, "#run-audit").await;
    until(c, "the audit table", "document.querySelector('#audit-result table')").await;
    let rows = js(c, "return [...document.querySelectorAll('#audit-result tbody tr')].map(tr => tr.innerText.replace(/\\s+/g, ' '));", vec![]).await;
    let review1 = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .find(|r| r.contains("Hold the first looked-after review"))
        .unwrap_or_else(|| panic!("{rows}"))
        .to_string();
    assert!(review1.contains("Met"), "{review1}");
    assert!(review1.contains("done Wed 20 Jan 2027, 4 working days (6 days) to spare"), "{review1}");
    assert!(text(c, "#audit-result .totals").await.contains("On time:"));
    no_junk(c).await;
    every_control_labelled(c).await;
}

/// Printing: the print rules parsed (under the CSP) and hide the form; the browser prints a PDF.
async fn print(c: &Client, pdf_out: Option<&Path>) {
    let hides_form = js(
        c,
        "return [...document.styleSheets].flatMap(s => [...s.cssRules]).some(r => r instanceof CSSMediaRule && r.media.mediaText === 'print' && [...r.cssRules].some(x => x.selectorText && x.selectorText.includes('#case-form') && x.style.display === 'none'));",
        vec![],
    )
    .await;
    assert_eq!(hides_form, json!(true), "the print stylesheet hides the form");
    let pdf = c.print(fantoccini::wd::PrintConfiguration::default()).await.expect("print to PDF");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    if let Some(out) = pdf_out {
        std::fs::write(out, pdf).unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
    }
}

/// Wales: the same 20 working days (CPPCR (Wales) 2015 reg 39(1)), so the same date, under the
/// Welsh regulations.
async fn wales(c: &Client, url: &str) {
    fresh_page(c, url).await;
    click(c, "input[name=jurisdiction][value=wales]").await;
    let options = js(c, "return [...document.getElementById('profile').options].map(o => o.value);", vec![]).await;
    assert_eq!(options, json!(["wales", "__upload__"]));
    type_date(c, "#ev-1-date", "2026-12-24").await;
    type_date(c, "#as-at", "2026-12-24").await;
    show_timeline(c).await;
    until(c, "the Welsh timeline", "document.querySelector('#next-review strong')").await;
    assert!(text(c, "#next-review").await.contains("hold by Tue 26 Jan 2027"));
    let summary = text(c, "#case-summary").await;
    assert!(summary.contains("Wales"), "{summary}");
    click(c, "#next-review button").await;
    let id = el(c, ".ob-toggle[aria-expanded=true]").await.attr("aria-controls").await.unwrap().unwrap();
    let panel = text(c, &format!("#{id}")).await;
    assert!(panel.contains("Care Planning, Placement and Case Review (Wales) Regulations 2015"), "{panel}");
    assert!(panel.contains("reg 39(1)"), "{panel}");
}

/// A council's own profile with a misspelt role: the library's error, by the upload box. Then
/// the corrected file is used: its report is due 5 working days before review 1 (Tue 26 Jan
/// 2027): Mon 25 (1), Fri 22 (2), Thu 21 (3), Wed 20 (4), Tue 19 Jan 2027 (5).
async fn uploaded_profile(c: &Client, url: &str, dir: &Path) {
    let good = "id = \"my-council\"\nname = \"My council\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"Our procedure\"\n\n[[rule]]\nduty = \"submit_social_work_report\"\nrole = \"social_worker\"\nanchor = \"review_date\"\ndirection = \"before\"\nperiod = \"5 working days\"\naction = \"Send your report to the IRO\"\ncitation = { instrument = \"My council procedure\", provision = \"s.4\", status = \"V\" }\n";
    let bad_path = dir.join("bad-council.toml");
    let good_path = dir.join("my-council.toml");
    std::fs::write(&bad_path, good.replace("\"social_worker\"", "\"socail_worker\"")).unwrap();
    std::fs::write(&good_path, good).unwrap();

    fresh_page(c, url).await;
    type_date(c, "#ev-1-date", "2026-12-24").await;
    type_date(c, "#as-at", "2026-12-24").await;
    assert!(!el(c, "#profile-file").await.is_displayed().await.unwrap());
    select(c, "#profile", "__upload__").await;
    // Asked for before a file is chosen.
    click(c, "#calculate").await;
    until(c, "the missing-file error", "!document.getElementById('profile-file-error').hidden").await;
    el(c, "#profile-file").await.send_keys(&bad_path.display().to_string()).await.expect("choose the file");
    until(c, "the file to be read", "document.getElementById('profile-file').files.length === 1").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    click(c, "#calculate").await;
    until(c, "the profile error", "/socail_worker/.test(document.getElementById('profile-file-error').innerText)")
        .await;
    let err = text(c, "#profile-file-error").await;
    assert!(err.starts_with("profile_toml: line 10: "), "{err}");
    assert_eq!(el(c, "#profile-file").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));

    el(c, "#profile-file").await.send_keys(&good_path.display().to_string()).await.expect("choose the file");
    tokio::time::sleep(Duration::from_millis(300)).await;
    show_timeline(c).await;
    until(c, "the council's duty", "/Send your report to the IRO/.test(document.getElementById('timeline').innerText)")
        .await;
    let row = js(c, "return [...document.querySelectorAll('#timeline li.ob')].map(li => li.innerText.replace(/\\s+/g, ' ')).find(t => t.includes('Send your report'));", vec![]).await;
    assert!(row.as_str().unwrap().starts_with("Tue 19 Jan 2027"), "{row}");
    assert!(text(c, "#case-summary").await.contains("uploaded: my-council.toml"));
}

/// The sample child of `cargo run --example schedule` under Dudley's procedure, with an
/// explanation open (and the screenshots, when asked for). Review 3 counts from the adjourned
/// meeting of Wed 22 Apr 2026: statute gives 6 months, Thu 22 Oct 2026; Dudley 180 days: 8 days
/// to 30 Apr, 39 to 31 May, 69 to 30 Jun, 100 to 31 Jul, 131 to 31 Aug, 161 to 30 Sep, 180 on
/// Mon 19 Oct 2026, which binds as the earlier.
async fn dudley_sample(c: &Client, url: &str, screenshot: Option<&Path>) {
    fresh_page(c, url).await;
    c.set_window_size(1280, 2300).await.expect("window size");
    select(c, "#profile", "dudley").await;
    type_date(c, "#dob", "2011-02-14").await;
    type_date(c, "#as-at", "2026-06-01").await;
    el(c, "#horizon").await.clear().await.unwrap();
    el(c, "#horizon").await.send_keys("9").await.unwrap();
    let events = [
        ("became_looked_after", "2026-01-05"),
        ("review_held", "2026-01-29"),
        ("review_adjourned", "2026-04-22"),
        ("review_held", "2026-05-06"),
        ("significant_change", "2026-05-27"),
    ];
    for (i, (kind, date)) in events.iter().enumerate() {
        if i > 0 {
            click(c, "#add-event").await;
        }
        select(c, &format!("#ev-{}-kind", i + 1), kind).await;
        type_date(c, &format!("#ev-{}-date", i + 1), date).await;
    }
    show_timeline(c).await;
    until(c, "the sample timeline", "document.querySelector('#next-review strong')").await;
    no_junk(c).await;
    let next = text(c, "#next-review").await;
    assert!(next.contains("Review 3 (looked-after review): hold by Mon 19 Oct 2026"), "{next}");
    // Dudley names the team manager where statute names a senior manager: the duty is listed
    // under both roles.
    select(c, "#role-filter", "team_manager").await;
    let shown = js(c, "return [...document.querySelectorAll('#timeline li.ob')].filter(li => !li.hidden).map(li => li.innerText.replace(/\\s+/g, ' '));", vec![]).await;
    let consider: Vec<&str> = shown
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .filter(|t| t.contains("Consider the review decisions"))
        .collect();
    assert!(!consider.is_empty(), "{shown}");
    assert!(consider.iter().all(|t| t.contains("Senior manager also named: Team manager")), "{consider:?}");
    select(c, "#role-filter", "").await;
    let Some(out) = screenshot else { return };
    // Open the manager's consideration of review 2's decisions, which statute and Dudley both
    // govern (statute names a senior manager, Dudley the team manager).
    js(c, "[...document.querySelectorAll('.ob-toggle')].filter(b => b.innerText.includes('Consider the review decisions'))[1].click();", vec![]).await;
    until(c, "an open explanation", "document.querySelector('.ob-toggle[aria-expanded=true]')").await;
    js(c, "window.scrollTo(0, 0);", vec![]).await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(out, png).unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
    // And the timeline down to the open explanation, beside it.
    js(
        c,
        "document.querySelector('.ob-toggle[aria-expanded=true]').scrollIntoView(); window.scrollBy(0, -900);",
        vec![],
    )
    .await;
    let png = c.screenshot().await.expect("screenshot");
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("web");
    let second = out.with_file_name(format!("{stem}-timeline.png"));
    std::fs::write(&second, png).unwrap_or_else(|e| panic!("write {}: {e}", second.display()));
    c.set_window_size(1280, 1600).await.expect("window size");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_in_a_real_browser() {
    let (chromium, driver) = match browser() {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let scratch = scratch_dir();
    let (_server, url) = start_server();
    let driver_port = free_port();
    let log = std::fs::File::create(scratch.0.join("chromedriver.log")).expect("log");
    let mut command = Command::new(&driver);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let _driver = Group(
        command
            .arg(format!("--port={driver_port}"))
            .env("LANG", "en_GB.UTF-8")
            .env("LC_ALL", "en_GB.UTF-8")
            .env("LANGUAGE", "en_GB")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display())),
    );
    wait_for_port(driver_port, "chromedriver");
    let c = connect(&chromium, driver_port, &scratch.0).await;

    first_review_and_its_explanation(&c, &url).await;
    a_review_and_an_adjournment_move_the_deadlines(&c).await;
    role_filter(&c).await;
    errors_by_the_field(&c).await;
    downloads(&c, &scratch.0.join("downloads")).await;
    audit(&c).await;
    wales(&c, &url).await;
    uploaded_profile(&c, &url, &scratch.0).await;
    let shot = std::env::var_os("LACT_WEB_SCREENSHOT").map(PathBuf::from);
    dudley_sample(&c, &url, shot.as_deref()).await;
    print(&c, std::env::var_os("LACT_WEB_PDF").as_deref().map(Path::new)).await;
    c.close().await.expect("close the browser");
}
