//! Who the client is, as far as the limits are concerned: the TCP peer, or — when the peer is
//! one of the configured proxies — the address those proxies say they received the request
//! from.
//!
//! X-Forwarded-For is a list each proxy appends its own peer to, so only its right end is
//! written by proxies we trust; everything to the left of them was written by the client and
//! may be anything. The list is walked from the right, skipping the trusted proxies, and the
//! first address that is not one is the client. A peer that is not a trusted proxy is the
//! client itself, whatever it sends.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;

use crate::config::LimitSettings;

/// An address or a network (`10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let base: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR network"))?;
        let base = base.to_canonical();
        let bits = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {bits}"))?,
        };
        Ok(Network { base, prefix })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.base, address.to_canonical()) {
            (IpAddr::V4(base), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(base) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(base), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(base) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The proxies whose X-Forwarded-For is believed. Empty: nobody's.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    networks: Vec<Network>,
    /// The legacy `trust_forwarded_for = true` with no proxies listed: the peer, whatever its
    /// address, is taken for the one proxy in front, and only the entry it appended (the
    /// rightmost) is believed.
    any_peer: bool,
}

impl TrustedProxies {
    /// `limits.trusted_proxies`, or the legacy `limits.trust_forwarded_for` when that list is
    /// empty (one proxy in front, the rightmost entry). A list entry that is no address or
    /// network is refused.
    pub fn from_settings(settings: &LimitSettings) -> Result<TrustedProxies, String> {
        let networks = settings
            .trusted_proxies
            .iter()
            .map(|p| Network::parse(p).map_err(|e| format!("limits.trusted_proxies: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let any_peer = networks.is_empty() && settings.trust_forwarded_for;
        Ok(TrustedProxies { networks, any_peer })
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.networks.iter().any(|n| n.contains(address))
    }

    /// The client behind `peer`, given the X-Forwarded-For entries in the order received.
    pub fn client<'a>(
        &self,
        peer: IpAddr,
        forwarded: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        let mut client = peer.to_canonical();
        let mut forwarded = forwarded.rev();
        if self.any_peer {
            return forwarded.next().and_then(parse_entry).unwrap_or(client);
        }
        for entry in forwarded {
            if !self.trusts(client) {
                break;
            }
            match parse_entry(entry) {
                Some(hop) => client = hop,
                // A trusted proxy wrote something that is no address: stop at that proxy.
                None => break,
            }
        }
        client
    }
}

/// One X-Forwarded-For entry: an address, perhaps with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let address = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))?;
    Some(address.to_canonical())
}

/// The client's address for this request.
pub fn client_address(req: &HttpRequest, proxies: &TrustedProxies) -> IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    proxies.client(peer, entries.into_iter())
}

/// What the limits count by: an IPv4 address, or the /64 network of an IPv6 one (one host
/// commonly holds a whole /64, so its addresses are one client).
pub fn limit_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies {
            networks: list.iter().map(|p| Network::parse(p).unwrap()).collect(),
            any_peer: false,
        }
    }

    #[test]
    fn networks_parse_and_contain_their_addresses() {
        let net = Network::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped IPv6");
        assert!(Network::parse("::1").unwrap().contains(ip("::1")));
        assert!(Network::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in ["", "10.0.0.0/33", "proxy.local", "10.0.0.0/", "::/129"] {
            assert!(Network::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_peer_that_is_no_trusted_proxy_is_the_client_whatever_it_forwards() {
        let trusted = proxies(&["10.0.0.5"]);
        let peer = ip("198.51.100.7");
        assert_eq!(trusted.client(peer, ["203.0.113.1"].into_iter()), peer);
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.5"), ["1.2.3.4"].into_iter()),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn the_client_is_the_first_address_from_the_right_that_is_no_trusted_proxy() {
        let trusted = proxies(&["10.0.0.0/24", "192.0.2.10"]);
        // The client wrote "1.1.1.1, 2.2.2.2"; the edge proxy 192.0.2.10 appended the real
        // client, the inner proxy 10.0.0.3 appended the edge proxy.
        let entries = ["1.1.1.1", " 2.2.2.2", " 203.0.113.9", " 192.0.2.10"];
        assert_eq!(
            trusted.client(ip("10.0.0.3"), entries.into_iter()),
            ip("203.0.113.9")
        );
        // Only proxies all the way: the leftmost is the client.
        assert_eq!(
            trusted.client(ip("10.0.0.3"), ["192.0.2.10"].into_iter()),
            ip("192.0.2.10")
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client(ip("10.0.0.3"), [].into_iter()),
            ip("10.0.0.3")
        );
        // Garbage after a trusted hop: stop at the last address known.
        assert_eq!(
            trusted.client(ip("10.0.0.3"), ["1.1.1.1", "unknown"].into_iter()),
            ip("10.0.0.3")
        );
        // Ports and brackets as some proxies write them.
        assert_eq!(
            trusted.client(ip("10.0.0.3"), ["[2001:db8::1]:443"].into_iter()),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn the_legacy_switch_believes_only_the_entry_the_peer_appended() {
        let mut settings = crate::config::Settings::defaults().limits;
        let peer = ip("10.0.0.3");
        let spoofed = ["6.6.6.6", " 203.0.113.9"];
        let off = TrustedProxies::from_settings(&settings).unwrap();
        assert_eq!(off.client(peer, spoofed.into_iter()), peer, "off: the peer");
        settings.trust_forwarded_for = true;
        let legacy = TrustedProxies::from_settings(&settings).unwrap();
        assert_eq!(legacy.client(peer, spoofed.into_iter()), ip("203.0.113.9"));
        assert_eq!(legacy.client(peer, [].into_iter()), peer);
        // A list, when given, is what counts.
        settings.trusted_proxies = vec!["10.0.0.1".into(), "fd00::/8".into()];
        let listed = TrustedProxies::from_settings(&settings).unwrap();
        assert_eq!(
            listed.client(peer, spoofed.into_iter()),
            peer,
            "10.0.0.3 is not listed"
        );
        settings.trusted_proxies = vec!["10.0.0.1".into(), "not an address".into()];
        assert!(TrustedProxies::from_settings(&settings).is_err());
    }

    #[test]
    fn an_ipv6_client_is_limited_by_its_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(limit_key(ip("198.51.100.7")), ip("198.51.100.7"));
    }
}
