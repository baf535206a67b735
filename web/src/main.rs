//! `lac-timescales-web`: serves the practitioners' page and API. Stores nothing.
//!
//! ```text
//! lac-timescales-web [--port N] [--bind ADDR]
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

const USAGE: &str = "usage: lac-timescales-web [--port N] [--bind ADDR]

Serves the looked-after children's review timescales calculator: the page at / and the JSON API
(POST /api/schedule, POST /api/audit, POST /api/schedule.csv, POST /api/schedule.ics,
GET /api/profiles, GET /api/vocabulary, GET /healthz).

  --port N      TCP port to listen on (default 8080; 0 picks a free port)
  --bind ADDR   address to listen on (default 127.0.0.1, this machine only; give the server's
                intranet address, or 0.0.0.0, to serve colleagues on the council's network)
  -h, --help    print this help

Nothing is stored: each request is computed in memory and forgotten. No request reads a file.";

struct Args {
    addr: SocketAddr,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut port: u16 = 8080;
    let mut bind: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let value = || args.get(i + 1).ok_or_else(|| format!("{flag} needs a value"));
        match flag {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value()?;
                port = v.parse().map_err(|_| format!("bad --port {v:?}: expected a number from 0 to 65535"))?;
                i += 2;
            }
            "--bind" => {
                let v = value()?;
                bind = v.parse().map_err(|_| format!("bad --bind {v:?}: expected an IP address such as 127.0.0.1"))?;
                i += 2;
            }
            other => return Err(format!("unrecognised argument {other:?}")),
        }
    }
    Ok(Some(Args { addr: SocketAddr::new(bind, port) }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(serve(args.addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn serve(addr: SocketAddr) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let shown =
        if local.ip().is_unspecified() { format!("every address, port {}", local.port()) } else { local.to_string() };
    // The first line is read by the tests (and by scripts) to find the port.
    say(&format!("lac-timescales-web listening on http://{local}/"));
    say(&format!("Serving {shown}. Nothing is stored: each request is computed and forgotten. Ctrl-C stops."));
    if !local.ip().is_loopback() {
        say("Note: reachable from other machines on this network; child data still stays on this server.");
    }
    axum::serve(listener, lac_timescales_web::app())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Prints a line; a closed stdout (the reader went away) must not stop the server.
fn say(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
