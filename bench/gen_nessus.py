#!/usr/bin/env python3
"""Generate a synthetic Nessus v2 (.nessus) file for benchmarking `poam import scan`.

    python3 bench/gen_nessus.py OUT_FILE [--findings N] [--hosts H] [--vuln-plugins P] [--seed S]

Writes one scan of N ReportItems (default 100,000) spread evenly over H ReportHosts (default
2,000), shaped like the real samples in tests/fixtures/scans/nessus/: a Policy with its server
preferences (TARGET lists every host plus a few that did not answer), then per host a
HostProperties block (HOST_START, HOST_START_TIMESTAMP, host-ip, operating system...) and its
ReportItems with the attributes and child elements Nessus writes (cve, cvss3_base_score,
cvss_base_score, description, solution, synopsis, risk_factor, plugin_output, ...). About 40%
of the items are informational (severity 0), as in real scans; the rest draw from a pool of
P vulnerability plugins (default 5,000) with a skewed distribution, so some plugins sit on
hundreds of hosts and grouping yields close to P items. The text is written by this script,
not copied from any scanner. Deterministic for a given set of arguments. Standard library only.
"""

import argparse
import datetime as dt
import itertools
import random
from xml.sax.saxutils import escape, quoteattr

START = dt.datetime(2026, 11, 2, 1, 0, 0, tzinfo=dt.timezone.utc)
RISK_FACTORS = ["None", "Low", "Medium", "High", "Critical"]
FAMILIES = ["General", "Misc.", "Web Servers", "Service detection", "Ubuntu Local Security Checks",
            "Red Hat Local Security Checks", "Windows : Microsoft Bulletins", "Databases", "Settings"]
SERVICES = [(0, "general", "tcp"), (22, "ssh", "tcp"), (80, "www", "tcp"), (443, "www", "tcp"),
            (445, "cifs", "tcp"), (1433, "mssql", "tcp"), (3389, "msrdp", "tcp"), (5432, "postgresql", "tcp"),
            (8443, "www", "tcp"), (53, "dns", "udp"), (123, "ntp", "udp"), (161, "snmp", "udp")]
COMPONENTS = ["openssl", "openssh", "kernel", "glibc", "nginx", "httpd", "postgresql", "sudo", "curl",
              "libxml2", "bind", "samba", "java", "python3", "systemd", "zlib", "expat", "tomcat"]
WORDS = ("the remote host service component affected version update vendor advisory allows attacker "
         "crafted request memory handling boundary check input validation configuration default "
         "privilege escalation information disclosure denial of service arbitrary code execution "
         "authentication bypass certificate protocol cipher library package").split()


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def vuln_plugin(rng, plugin_id):
    severity = rng.choices([1, 2, 3, 4], weights=[15, 45, 30, 10])[0]
    low, high = {1: (0.1, 3.9), 2: (4.0, 6.9), 3: (7.0, 8.9), 4: (9.0, 10.0)}[severity]
    cvss3 = round(rng.uniform(low, high), 1)
    cvss2 = round(min(10.0, max(0.1, cvss3 + rng.uniform(-1.5, 1.0))), 1)
    component = rng.choice(COMPONENTS)
    year = rng.randint(2014, 2026)
    cves = sorted({f"CVE-{year}-{rng.randint(1000, 49999)}" for _ in range(rng.choice([0, 1, 1, 2, 3, 6]))})
    port, service, protocol = rng.choice(SERVICES)
    return {
        "id": plugin_id,
        "name": f"{component.capitalize()} < {rng.randint(1, 9)}.{rng.randint(0, 30)} Multiple Vulnerabilities ({plugin_id})",
        "family": rng.choice(FAMILIES[:-1]),
        "severity": severity,
        "cvss3": cvss3,
        "cvss2": cvss2,
        "cves": cves,
        "service": (port, service, protocol),
        "synopsis": sentence(rng, 10),
        "description": paragraph(rng, rng.randint(3, 8)),
        "solution": f"Upgrade {component} to the latest version supplied by the vendor.",
        "fname": f"{component}_{plugin_id}.nasl",
    }


def info_plugin(rng, plugin_id):
    port, service, protocol = rng.choice(SERVICES)
    return {
        "id": plugin_id,
        "name": f"{rng.choice(COMPONENTS).capitalize()} Detection ({plugin_id})",
        "family": rng.choice(FAMILIES),
        "severity": 0,
        "cvss3": None,
        "cvss2": None,
        "cves": [],
        "service": (port, service, protocol),
        "synopsis": sentence(rng, 8),
        "description": paragraph(rng, 2),
        "solution": "n/a",
        "fname": f"detect_{plugin_id}.nbin",
    }


def element(name, text):
    return f"        <{name}>{escape(str(text))}</{name}>\n"


def report_item(rng, plugin):
    port, service, protocol = plugin["service"]
    parts = [
        f'      <ReportItem port="{port}" svc_name="{service}" protocol="{protocol}" '
        f'severity="{plugin["severity"]}" pluginID="{plugin["id"]}" pluginName={quoteattr(plugin["name"])} '
        f'pluginFamily={quoteattr(plugin["family"])}>\n',
        element("agent", "all"),
    ]
    for cve in plugin["cves"]:
        parts.append(element("cve", cve))
    if plugin["cvss3"] is not None:
        parts.append(element("cvss3_base_score", plugin["cvss3"]))
        parts.append(element("cvss3_vector", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"))
        parts.append(element("cvss_base_score", plugin["cvss2"]))
        parts.append(element("cvss_vector", "CVSS2#AV:N/AC:L/Au:N/C:P/I:N/A:N"))
    parts += [
        element("description", plugin["description"]),
        element("fname", plugin["fname"]),
        element("plugin_modification_date", "2026/10/14"),
        element("plugin_name", plugin["name"]),
        element("plugin_publication_date", "2021/03/02"),
        element("plugin_type", "local" if plugin["severity"] else "remote"),
        element("risk_factor", RISK_FACTORS[plugin["severity"]]),
        element("script_version", "1.12"),
        element("see_also", f"https://vendor.example/advisories/{plugin['id']}"),
        element("solution", plugin["solution"]),
        element("synopsis", plugin["synopsis"]),
        element("plugin_output", "\n  Installed version : 1.2.3\n  Fixed version     : 1.2.9\n" + sentence(rng, 12) + "\n"),
        "      </ReportItem>\n",
    ]
    return "".join(parts)


def host_properties(index, ip, started):
    stamp = int(started.timestamp())
    ended = started + dt.timedelta(minutes=7)
    tags = [
        ("HOST_END_TIMESTAMP", int(ended.timestamp())),
        ("HOST_END", ended.strftime("%a %b %d %H:%M:%S %Y")),
        ("operating-system", "Linux Kernel 5.15 on Ubuntu 22.04"),
        ("host-ip", ip),
        ("host-fqdn", f"host-{index:05d}.internal.example"),
        ("Credentialed_Scan", "true"),
        ("HOST_START_TIMESTAMP", stamp),
        ("HOST_START", started.strftime("%a %b %d %H:%M:%S %Y")),
    ]
    body = "".join(f'        <tag name="{name}">{escape(str(value))}</tag>\n' for name, value in tags)
    return f"      <HostProperties>\n{body}      </HostProperties>\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--hosts", type=int, default=2_000)
    parser.add_argument("--vuln-plugins", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vulns = [vuln_plugin(rng, 100_000 + i) for i in range(args.vuln_plugins)]
    infos = [info_plugin(rng, 10_000 + i) for i in range(300)]
    # Skewed: low ranks are common (a missing patch on most hosts), high ranks rare.
    cumulative = list(itertools.accumulate(1.0 / (rank + 10) ** 0.8 for rank in range(len(vulns))))
    ranks = range(len(vulns))
    ips = [f"10.{20 + i // 65_000}.{(i // 250) % 256}.{i % 250 + 1}" for i in range(args.hosts)]
    silent = [f"10.99.0.{i + 1}" for i in range(5)]

    with open(args.out, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" ?>\n<NessusClientData_v2>\n  <Policy>\n'
                  "    <policyName>Monthly Credentialed Scan</policyName>\n"
                  "    <Preferences>\n      <ServerPreferences>\n")
        for name, value in [("TARGET", ",".join(ips + silent)), ("severity_basis", "cvss_v3"),
                            ("plugin_set", ""), ("max_checks", "5")]:
            out.write(f"        <preference>\n          <name>{name}</name>\n"
                      f"          <value>{escape(value)}</value>\n        </preference>\n")
        out.write("      </ServerPreferences>\n    </Preferences>\n  </Policy>\n"
                  '  <Report name="Monthly scan" xmlns:cm="http://www.nessus.org/cm">\n')
        per_host, extra = divmod(args.findings, args.hosts)
        for index, ip in enumerate(ips):
            count = per_host + (1 if index < extra else 0)
            started = START + dt.timedelta(seconds=17 * index)
            out.write(f'    <ReportHost name="{ip}">\n')
            out.write(host_properties(index, ip, started))
            info_count = round(count * 0.4)
            chosen_infos = rng.sample(infos, min(info_count, len(infos)))
            chosen_vulns = set()
            while len(chosen_vulns) < count - len(chosen_infos):
                chosen_vulns.add(rng.choices(ranks, cum_weights=cumulative)[0])
            for plugin in chosen_infos:
                out.write(report_item(rng, plugin))
            for rank in sorted(chosen_vulns):
                out.write(report_item(rng, vulns[rank]))
            out.write("    </ReportHost>\n")
        out.write("  </Report>\n</NessusClientData_v2>\n")


if __name__ == "__main__":
    main()
