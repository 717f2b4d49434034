//! Safe static file serving for `planspor serve`: percent-decoding, index.html for
//! folders, content types, and never a byte from outside the output folder.

use std::path::{Path, PathBuf};

use crate::url::percent_encode_into;

/// How a request path resolves.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    NotFound,
    BadRequest,
}

/// Decodes `%XX` escapes to bytes; `None` on a malformed escape.
fn percent_decode_bytes(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Maps a raw request target to a file under `root` (which must be canonical).
/// Rejects traversal in every spelling: `..` segments (also percent-encoded, also
/// with backslashes), NUL bytes, absolute paths in disguise, and symlinks that lead
/// outside `root`.
pub fn resolve(root: &Path, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let Some(bytes) = percent_decode_bytes(path) else {
        return Resolved::BadRequest;
    };
    let Ok(decoded) = String::from_utf8(bytes) else {
        return Resolved::BadRequest;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Resolved::BadRequest;
    }
    let mut rel = PathBuf::new();
    let mut segs = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return Resolved::NotFound,
            s if s.contains(':') && cfg!(windows) => return Resolved::BadRequest,
            s => {
                rel.push(s);
                segs.push(s);
            }
        }
    }
    let candidate = root.join(&rel);
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(folder_location(&segs, target));
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(root) && i.is_file() => Resolved::File(i),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The address of a folder, rebuilt from its decoded segments: always exactly one
/// leading slash, because a browser reads `//data/` (or `/\data/`) in a `Location` as
/// the host `data` (an open redirect). The query is kept, escaped where needed.
fn folder_location(segs: &[&str], target: &str) -> String {
    let mut to = String::from("/");
    for s in segs {
        percent_encode_into(&mut to, s, b"-._~!$&'()*+,;=:@");
        to.push('/');
    }
    if let Some(q) = target.find('?') {
        let query = target[q + 1..].split('#').next().unwrap_or_default();
        to.push('?');
        percent_encode_into(&mut to, query, b"-._~!$&'()*+,;=:@/?%");
    }
    to
}

/// Sent with every response. The policy allows what the site's pages load (their own
/// CSS, scripts, fonts and images, and the JSON the search and the live-reload script
/// fetch), nothing inline and nothing from elsewhere; README.md's "Security headers for
/// production hosting" shows the same for nginx and Apache.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; \
         base-uri 'none'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
];

/// Whether a request's `Host` names this server: `localhost`, `127.0.0.1`, `[::1]` or
/// the `--bind` address, any port. Another name resolving to 127.0.0.1 is how a web
/// page reads a local server (DNS rebinding), so it is refused. Bound to every
/// interface (`0.0.0.0`, `::`), the machine's own addresses are not known here; any IP
/// address is then accepted, since rebinding needs a name.
pub fn host_allowed(host: &str, bind: &str) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let bind = bind.trim_start_matches('[').trim_end_matches(']');
    if ["localhost", "127.0.0.1", "::1"].contains(&name.as_str()) || name.eq_ignore_ascii_case(bind)
    {
        return true;
    }
    let any = bind
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified());
    any && name.parse::<std::net::IpAddr>().is_ok()
}

/// The name in a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), brackets
/// removed; `None` if malformed.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (v6, port) = rest.split_once(']')?;
            v6.parse::<std::net::Ipv6Addr>().ok()?;
            (v6, port)
        }
        None => match host.find(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host, ""),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

/// Content type by file extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("planspor-http-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("public");
        std::fs::create_dir_all(root.join("kommuner/hjoerring")).unwrap();
        std::fs::write(root.join("index.html"), "front").unwrap();
        std::fs::write(root.join("kommuner/hjoerring/index.html"), "h").unwrap();
        std::fs::write(base.join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(base.join("secret.txt"), root.join("link.txt")).unwrap();
        (base, root.canonicalize().unwrap())
    }

    #[test]
    fn serves_inside_and_nothing_outside() {
        let (base, root) = site();
        assert_eq!(resolve(&root, "/"), Resolved::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/kommuner/hjoerring/"),
            Resolved::File(root.join("kommuner/hjoerring/index.html"))
        );
        assert_eq!(
            resolve(&root, "/kommuner/hjoerring"),
            Resolved::Redirect("/kommuner/hjoerring/".into())
        );
        assert_eq!(
            resolve(&root, "/kommuner/hjoerring?x=1"),
            Resolved::Redirect("/kommuner/hjoerring/?x=1".into())
        );
        for t in [
            "//kommuner",
            "///kommuner",
            "/%2F%2Fkommuner",
            "/.//kommuner",
        ] {
            assert_eq!(
                resolve(&root, t),
                Resolved::Redirect("/kommuner/".into()),
                "{t}"
            );
        }
        assert_eq!(
            resolve(&root, "//kommuner?a=%2F%2Fx y"),
            Resolved::Redirect("/kommuner/?a=%2F%2Fx%20y".into())
        );
        assert_eq!(
            resolve(&root, "/%6Bommuner/hjoerring/index.html"),
            Resolved::File(root.join("kommuner/hjoerring/index.html"))
        );
        for evil in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/kommuner/../../secret.txt",
            "/kommuner/%2e%2e/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e%2fsecret.txt",
            "/link.txt",
            "//etc/passwd",
            "/etc/passwd",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/secret.txt%00.html",
            "/%",
            "/%zz",
            "secret.txt",
        ] {
            let r = resolve(&root, evil);
            assert!(
                matches!(r, Resolved::NotFound | Resolved::BadRequest),
                "{evil} -> {r:?}"
            );
        }
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn hosts() {
        for (host, bind) in [
            ("localhost", "127.0.0.1"),
            ("LocalHost:1111", "127.0.0.1"),
            ("127.0.0.1:80", "127.0.0.1"),
            ("[::1]:1111", "127.0.0.1"),
            ("[::1]", "::1"),
            ("devbox:1111", "devbox"),
            ("192.168.1.5:1111", "0.0.0.0"),
            ("[fe80::1]:1111", "::"),
        ] {
            assert!(host_allowed(host, bind), "{host} on {bind}");
        }
        for (host, bind) in [
            ("evil.example", "127.0.0.1"),
            ("evil.example:1111", "0.0.0.0"),
            ("localhost.evil.example", "127.0.0.1"),
            ("127.0.0.1.nip.io", "127.0.0.1"),
            ("192.168.1.5", "127.0.0.1"),
            ("", "127.0.0.1"),
            (":1111", "127.0.0.1"),
            ("localhost:x", "127.0.0.1"),
            ("localhost:1:2", "127.0.0.1"),
            ("[localhost]", "127.0.0.1"),
            ("::1", "::1"),
        ] {
            assert!(!host_allowed(host, bind), "{host} on {bind}");
        }
    }

    #[test]
    fn readme_shows_the_same_headers_for_production() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        for (name, value) in SECURITY_HEADERS {
            for server in ["add_header", "Header always set"] {
                let line = format!("{server} {name} \"{value}\"");
                assert!(readme.contains(&line), "README lacks: {line}");
            }
        }
    }

    #[test]
    fn types() {
        assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
        assert_eq!(
            content_type(Path::new("a.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
    }
}
