//! The egress guard: patient text never leaves this machine unless the user named the host.
//!
//! Before clinkit opens a network connection (to a model server, say), it asks an
//! [`EgressGuard`] whether that host may be contacted. The answer is yes only for
//!
//! - loopback: `localhost`, `127.0.0.1`, `::1`, or a name whose addresses are *all* loopback
//!   (a name that resolves to a hospital server is not loopback, whatever it is called), and
//! - hosts the user listed, in `clinkit.toml`:
//!
//!   ```toml
//!   [llm]
//!   allow_hosts = ["gpu-node-07.hospital.local"]
//!   ```
//!
//!   or on the command line with `--allow-host gpu-node-07.hospital.local`.
//!
//! Anything else is refused with [`Error::Refused`], naming the host and how to allow it.
//!
//! ```
//! use clinkit::llm::egress::EgressGuard;
//! let guard = EgressGuard::loopback_only();
//! assert!(guard.check_url("http://127.0.0.1:8080/v1/models").is_ok());
//! let refused = guard.check_url("https://api.example.com/v1/chat/completions").unwrap_err();
//! assert!(refused.to_string().contains("api.example.com"));
//! assert!(refused.to_string().contains("--allow-host"));
//!
//! let guard = guard.allow_host("api.example.com");
//! assert!(guard.check_url("https://api.example.com/v1/chat/completions").is_ok());
//! ```

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Location;
use crate::{Error, Result};

/// The name of the configuration file clinkit reads from the current folder.
pub const CONFIG_FILE: &str = "clinkit.toml";

/// Decides which hosts clinkit may contact: loopback, plus the hosts the user listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EgressGuard {
    /// Host names (lower case) the user allowed, besides loopback.
    allowed: Vec<String>,
}

/// The part of `clinkit.toml` the guard reads (other sections are ignored).
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    llm: LlmSection,
}

/// The `[llm]` section of `clinkit.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LlmSection {
    #[serde(default)]
    allow_hosts: Vec<String>,
}

impl EgressGuard {
    /// A guard that allows only this machine (loopback addresses).
    ///
    /// ```
    /// use clinkit::llm::egress::EgressGuard;
    /// assert!(EgressGuard::loopback_only().check_host("localhost").is_ok());
    /// ```
    pub fn loopback_only() -> Self {
        EgressGuard::default()
    }

    /// The same guard, also allowing `host` (a name or an address; `[::1]` brackets are fine).
    ///
    /// ```
    /// use clinkit::llm::egress::EgressGuard;
    /// let guard = EgressGuard::loopback_only().allow_host("Models.Hospital.local");
    /// assert!(guard.check_host("models.hospital.local").is_ok());
    /// ```
    pub fn allow_host(mut self, host: &str) -> Self {
        let host = normalise_host(host);
        if !host.is_empty() && !self.allowed.contains(&host) {
            self.allowed.push(host);
        }
        self
    }

    /// The hosts the user allowed besides loopback, in the order given.
    pub fn allowed_hosts(&self) -> &[String] {
        &self.allowed
    }

    /// A guard with the hosts listed under `[llm] allow_hosts` in the TOML file at `path`.
    ///
    /// A bad file gives an error naming the file and the field.
    ///
    /// ```
    /// use clinkit::llm::egress::EgressGuard;
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("clinkit.toml");
    /// std::fs::write(&path, "[llm]\nallow_hosts = [\"gpu-07.hospital.local\"]\n").unwrap();
    /// let guard = EgressGuard::from_config_file(&path).unwrap();
    /// assert_eq!(guard.allowed_hosts(), ["gpu-07.hospital.local"]);
    /// ```
    pub fn from_config_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let config: ConfigFile =
            toml::from_str(&text).map_err(|e| config_error(path, &text, &e))?;
        Ok(config
            .llm
            .allow_hosts
            .iter()
            .fold(EgressGuard::loopback_only(), |guard, host| {
                guard.allow_host(host)
            }))
    }

    /// The guard for this run: `clinkit.toml` in the current folder if there is one
    /// (or the file named by the `CLINKIT_CONFIG` environment variable), plus `extra_hosts`
    /// (from `--allow-host`).
    pub fn from_environment(extra_hosts: &[String]) -> Result<Self> {
        let guard = match config_path() {
            Some(path) => EgressGuard::from_config_file(&path)?,
            None => EgressGuard::loopback_only(),
        };
        Ok(extra_hosts
            .iter()
            .fold(guard, |guard, host| guard.allow_host(host)))
    }

    /// Checks the host of a URL such as `http://127.0.0.1:8080/v1/models`.
    pub fn check_url(&self, url: &str) -> Result<()> {
        let (host, port) = host_and_port(url)?;
        self.check_host_port(&host, port)
    }

    /// Checks a host name or address (without port).
    pub fn check_host(&self, host: &str) -> Result<()> {
        self.check_host_port(host, 80)
    }

    /// Checks `host` and gives back the addresses a connection may use.
    ///
    /// A listed host may use all its addresses. Any other name is allowed only if it resolves
    /// to loopback addresses alone.
    pub fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>> {
        let host = normalise_host(host);
        let addresses: Vec<SocketAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => match (host.as_str(), port).to_socket_addrs() {
                Ok(found) => found.collect(),
                Err(e) if self.allowed.contains(&host) => {
                    return Err(Error::Refused(format!("cannot resolve host `{host}`: {e}")))
                }
                Err(_) => Vec::new(), // not resolvable, so not known to be loopback: refused below
            },
        };
        if self.allowed.contains(&host) {
            return Ok(addresses);
        }
        let all_loopback = !addresses.is_empty() && addresses.iter().all(|a| a.ip().is_loopback());
        if all_loopback {
            Ok(addresses)
        } else {
            Err(self.refusal(&host, &addresses))
        }
    }

    fn check_host_port(&self, host: &str, port: u16) -> Result<()> {
        if self.allowed.contains(&normalise_host(host)) {
            return Ok(());
        }
        self.resolve(host, port).map(|_| ())
    }

    /// The message for a host that is not allowed.
    fn refusal(&self, host: &str, addresses: &[SocketAddr]) -> Error {
        let seen = if addresses.is_empty() {
            " (it does not resolve here)".to_string()
        } else if host.parse::<IpAddr>().is_ok() {
            String::new()
        } else {
            let ips: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
            format!(" (it resolves to {})", ips.join(", "))
        };
        Error::Refused(format!(
            "refusing to contact `{host}`{seen}: clinkit only sends text to this machine (loopback) \
             and to hosts you allow. To allow it, pass `--allow-host {host}` or add it to \
             `[llm] allow_hosts` in {CONFIG_FILE}"
        ))
    }
}

/// Lower case, without IPv6 brackets or a trailing dot.
fn normalise_host(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Which configuration file to read: `$CLINKIT_CONFIG`, else `./clinkit.toml` if it exists.
fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CLINKIT_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let here = PathBuf::from(CONFIG_FILE);
    here.is_file().then_some(here)
}

/// Turns a TOML error into an error naming the file, line and field.
fn config_error(path: &Path, text: &str, error: &toml::de::Error) -> Error {
    let mut at = Location::file(path).field("llm.allow_hosts");
    if let Some(span) = error.span() {
        at = at.line(text[..span.start].matches('\n').count() + 1);
    }
    Error::invalid(at, error.message().to_string())
}

/// The host and port of an `http://` or `https://` URL.
///
/// ```
/// use clinkit::llm::egress::host_and_port;
/// assert_eq!(host_and_port("http://[::1]:8080/v1").unwrap(), ("::1".to_string(), 8080));
/// assert_eq!(host_and_port("https://models.local/v1").unwrap(), ("models.local".to_string(), 443));
/// ```
pub fn host_and_port(url: &str) -> Result<(String, u16)> {
    let bad = |why: &str| Error::Refused(format!("not a usable URL `{url}`: {why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("it has no http:// or https://"))?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(bad("only http:// and https:// are supported")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| bad("unclosed `[`"))?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("it has no host"));
    }
    let port = match port {
        Some(port) => port.parse().map_err(|_| bad("the port is not a number"))?,
        None => default_port,
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// The guard as ureq's resolver: every connection ureq opens (redirects too) goes through it.
#[cfg(feature = "http")]
impl ureq::Resolver for EgressGuard {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let (host, port) = match netloc.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().unwrap_or(80)),
            None => (netloc, 80),
        };
        EgressGuard::resolve(self, host, port)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_addresses_pass() {
        let guard = EgressGuard::loopback_only();
        for url in [
            "http://127.0.0.1:1/",
            "http://localhost:8080/v1",
            "http://[::1]:9/x",
            "http://127.1.2.3/",
        ] {
            assert!(guard.check_url(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn other_addresses_are_refused_with_how_to_allow() {
        let guard = EgressGuard::loopback_only();
        for url in [
            "http://10.0.0.7:8000/v1",
            "https://0.0.0.0/",
            "http://[2001:db8::1]/",
        ] {
            let error = guard.check_url(url).unwrap_err().to_string();
            assert!(error.contains("--allow-host"), "{error}");
            assert!(error.contains("allow_hosts"), "{error}");
        }
        let error = guard
            .check_url("http://10.0.0.7:8000/v1")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`10.0.0.7`"), "{error}");
    }

    #[test]
    fn listed_hosts_pass_without_resolving() {
        let guard = EgressGuard::loopback_only()
            .allow_host("10.0.0.7")
            .allow_host("gpu.invalid");
        assert!(guard.check_url("http://10.0.0.7:8000/v1").is_ok());
        assert!(guard.check_url("https://GPU.invalid/v1").is_ok());
        assert!(guard.check_url("http://10.0.0.8/").is_err());
    }

    #[test]
    fn a_name_that_does_not_resolve_is_refused() {
        let error = EgressGuard::loopback_only()
            .check_url("http://no-such-host.invalid/")
            .unwrap_err();
        assert!(matches!(error, Error::Refused(_)));
        assert!(error.to_string().contains("no-such-host.invalid"));
    }

    #[test]
    fn config_file_errors_name_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clinkit.toml");
        std::fs::write(&path, "[llm]\nallow_hosts = \"one-host\"\n").unwrap();
        let error = EgressGuard::from_config_file(&path)
            .unwrap_err()
            .to_string();
        assert!(error.contains("clinkit.toml:2"), "{error}");
        assert!(error.contains("llm.allow_hosts"), "{error}");
    }

    #[test]
    fn urls_are_parsed() {
        assert_eq!(
            host_and_port("http://user:pw@Host.local:81/a?b").unwrap(),
            ("host.local".into(), 81)
        );
        assert!(host_and_port("ftp://x/").is_err());
        assert!(host_and_port("http:///x").is_err());
        assert!(host_and_port("127.0.0.1:8080").is_err());
    }
}
