#!/usr/bin/env python3
"""Generate a synthetic POA&M repository for benchmarking `poam lint`.

    python3 bench/gen_items.py OUT_DIR N [--seed S] [--profile dod-rmf]

Writes OUT_DIR/poam.yaml and N items OUT_DIR/poams/V-1.yaml .. V-N.yaml. With `--profile
dod-rmf` the items are DoD RMF weaknesses instead (an `rmf:` block with the CAT, an IAVA now
and then, risk-accepted and completed items, milestones with their eMASS status) and
poam.yaml holds the CAT deadlines and the eMASS header block, for `poam export emass`. The output is
deterministic for a given N and seed. Every item is well-formed and within its policy deadline;
linted with `--today 2026-11-25` a minority of them produce time-based findings (overdue,
due-soon, milestone-overdue, vendor-checkin-stale, status-stale), as a real POA&M would.
Standard library only.
"""

import argparse
import datetime as dt
import os
import random

TODAY = dt.date(2026, 11, 25)
DAYS = {"critical": 30, "high": 30, "moderate": 90, "low": 180}
CHECKIN_DAYS = 30
STALE_DAYS = 30
SOON_DAYS = 14

# (detector, detector_id, title, risk, controls, cves, description, remediation, port, vendor_ok)
# port: how the asset identifier ends (None: host or image without a port); vendor_ok: the fix can
# plausibly depend on an appliance vendor (used for vendor dependencies).
FINDINGS = [
    ("Nessus", 104743, "TLS Version 1.0 Protocol Detection", "moderate", ["SC-8", "SC-13"], [],
     "The service accepts connections encrypted with TLS 1.0, a deprecated protocol version with known cryptographic weaknesses.",
     "Disable TLS 1.0 and 1.1 in the listener policy and allow TLS 1.2 or later only.", "443/TCP", True),
    ("Nessus", 157288, "TLS Version 1.1 Deprecated Protocol", "moderate", ["SC-8", "SC-13"], [],
     "The remote service accepts connections encrypted with TLS 1.1, which lacks support for current cipher suites.",
     "Remove TLS 1.1 from the allowed protocol versions.", "443/TCP", True),
    ("Nessus", 42873, "SSL Medium Strength Cipher Suites Supported (SWEET32)", "moderate", ["SC-8", "SC-13"],
     ["CVE-2016-2183"],
     "The service offers 64-bit block ciphers such as 3DES, which are exposed to birthday attacks on long-lived sessions.",
     "Remove 3DES and other 64-bit block ciphers from the cipher list.", "8443/TCP", True),
    ("Nessus", 57608, "SMB Signing not required", "moderate", ["SC-8", "CM-6"], [],
     "Signing is not required on the SMB server, allowing a man-in-the-middle to tamper with SMB sessions.",
     "Set 'Microsoft network server: Digitally sign communications (always)' through group policy.", "445/TCP", False),
    ("Nessus", 51192, "SSL Certificate Cannot Be Trusted", "moderate", ["SC-17", "SC-8"], [],
     "The X.509 certificate chain presented by the service cannot be validated against a trusted root.",
     "Replace the certificate with one issued by the organisation's trusted certificate authority.", "9443/TCP", False),
    ("Nessus", 187315, "SSH Terrapin Prefix Truncation Weakness (CVE-2023-48795)", "moderate", ["SC-8", "SI-2"],
     ["CVE-2023-48795"],
     "The SSH server supports ChaCha20-Poly1305 or Encrypt-then-MAC without strict key exchange, allowing prefix truncation.",
     "Upgrade the SSH server to a release with strict key exchange, or disable the affected algorithms.", "22/TCP", True),
    ("Nessus", 10114, "ICMP Timestamp Request Remote Date Disclosure", "low", ["SC-7", "CM-7"], ["CVE-1999-0524"],
     "The host answers ICMP timestamp requests, disclosing its clock to unauthenticated remote hosts.",
     "Drop ICMP timestamp requests and replies at the host firewall.", "ICMP", False),
    ("Nessus", 10863, "SSL Certificate Information", "low", ["SC-17"], [],
     "The certificate presented by the service expires within 60 days.",
     "Renew the certificate through the certificate automation pipeline.", "443/TCP", False),
    ("Qualys", 38657, "Birthday attacks against TLS ciphers with 64bit block size vulnerability (Sweet32)", "moderate",
     ["SC-8", "SC-13"], ["CVE-2016-2183", "CVE-2016-6329"],
     "Legacy block ciphers with a 64-bit block size are enabled on the TLS endpoint.",
     "Disable DES, 3DES, IDEA and RC2 cipher suites.", "443/TCP", True),
    ("Qualys", 11827, "HTTP Security Header Not Detected", "low", ["SC-8", "CM-6"], [],
     "The web application does not return one or more recommended security headers.",
     "Add the missing headers at the ingress controller for every route.", "443/TCP", False),
    ("Qualys", 105484, "Red Hat Enterprise Linux kernel security update", "high", ["SI-2", "RA-5"],
     ["CVE-2024-1086"],
     "The installed kernel package is older than the version that fixes a use-after-free in netfilter.",
     "Install the updated kernel package and reboot the host in a maintenance window.", None, False),
    ("Trivy", "CVE-2023-38545", "curl: SOCKS5 heap buffer overflow", "high", ["RA-5", "SI-2"], ["CVE-2023-38545"],
     "The container image ships a libcurl version whose SOCKS5 handshake can overflow a heap buffer.",
     "Rebuild the image on a base image with the fixed libcurl package.", None, False),
    ("Trivy", "CVE-2023-26136", "tough-cookie: prototype pollution", "moderate", ["RA-5", "SI-2"], ["CVE-2023-26136"],
     "The Node.js dependency tree contains tough-cookie before 4.1.3, which allows prototype pollution.",
     "Pin tough-cookie 4.1.3 or later through package overrides and rebuild.", None, False),
    ("Trivy", "CVE-2024-45490", "libexpat: negative length for XML_ParseBuffer", "critical", ["RA-5", "SI-2"],
     ["CVE-2024-45490"],
     "The image contains libexpat before 2.6.3, which mishandles a negative length passed to XML_ParseBuffer.",
     "Upgrade libexpat through the base image and redeploy.", None, False),
    ("Trivy", "CVE-2024-24790", "golang: net/netip unexpected behaviour from Is methods for IPv4-mapped IPv6", "critical",
     ["RA-5", "SI-2"], ["CVE-2024-24790"],
     "A Go binary in the image was built with a toolchain whose net/netip misclassifies IPv4-mapped IPv6 addresses.",
     "Rebuild the service with Go 1.22.4 or later.", None, False),
    ("Trivy", "CVE-2023-44270", "postcss: line return parsing error", "moderate", ["RA-5", "SI-2"], ["CVE-2023-44270"],
     "postcss before 8.4.31 mis-parses line returns in comments, which can hide injected rules.",
     "Upgrade postcss to 8.4.31 or later.", None, False),
    ("Trivy", "CVE-2022-40674", "expat: use-after-free in doContent", "high", ["RA-5", "SI-2"], ["CVE-2022-40674"],
     "libexpat before 2.4.9 has a use-after-free in the doContent function.",
     "Move to a base image that ships libexpat 2.4.9 or later.", None, False),
    ("OWASP ZAP", 10020, "Missing Anti-clickjacking Header", "moderate", ["SC-18", "CM-6"], [],
     "Responses do not include X-Frame-Options or a Content-Security-Policy frame-ancestors directive.",
     "Send Content-Security-Policy: frame-ancestors 'none' on every HTML response.", "443/TCP", False),
    ("OWASP ZAP", 10038, "Content Security Policy (CSP) Header Not Set", "moderate", ["SC-18", "SI-10"], [],
     "HTML responses carry no Content-Security-Policy header, which leaves no defence in depth against XSS.",
     "Define a restrictive Content-Security-Policy and roll it out in report-only mode first.", "443/TCP", False),
    ("OWASP ZAP", 10035, "Strict-Transport-Security Header Not Set", "low", ["SC-8", "CM-6"], [],
     "Responses do not include HTTP Strict-Transport-Security, so a first visit over HTTP can be downgraded.",
     "Send Strict-Transport-Security with max-age=31536000 and includeSubDomains.", "443/TCP", False),
    ("OWASP ZAP", 10021, "X-Content-Type-Options Header Missing", "low", ["SC-18", "CM-6"], [],
     "The anti-MIME-sniffing header X-Content-Type-Options is not set to nosniff.",
     "Add X-Content-Type-Options: nosniff at the load balancer.", "443/TCP", False),
    ("3PAO annual assessment", "none", "Inactive accounts not disabled after 90 days", "moderate", ["AC-2(3)", "AC-2(1)"], [],
     "The assessor found privileged accounts without login for more than 90 days that were still enabled.",
     "Automate suspension of accounts after 90 days of inactivity in the identity provider.", None, False),
    ("3PAO annual assessment", "none", "Audit logs not reviewed weekly", "moderate", ["AU-6", "AU-6(1)"], [],
     "Evidence of the weekly audit log review required by the SSP was missing for six weeks of the period.",
     "Create SIEM review tickets automatically and track their completion.", None, False),
    ("3PAO penetration test", "PT-2026-07", "Verbose error messages disclose stack traces", "low", ["SI-11"], [],
     "Malformed API requests return stack traces that reveal framework versions and internal paths.",
     "Return generic error bodies and log the details server-side.", "443/TCP", False),
    ("Configuration scan (CIS benchmark)", "xccdf_org.cisecurity.benchmarks_rule_5.2.8", "SSH root login not disabled",
     "moderate", ["CM-6", "AC-6(2)"], [],
     "The sshd configuration does not set PermitRootLogin to no on the benchmarked hosts.",
     "Set PermitRootLogin no through the configuration management baseline.", None, False),
]

VENDOR_FINDINGS = [f for f in FINDINGS if f[9]]
NOT_HIGH_FINDINGS = [f for f in FINDINGS if f[3] in ("low", "moderate")]

OWNERS = ["Jane Doe - Platform Team", "Raj Patel - Application Security", "Maria Garcia - Infrastructure Operations",
          "Tom Nguyen - Integration Services", "Priya Shah - Identity and Access Management",
          "Alex Kim - Web Team", "Sam Okafor - Database Engineering", "Lena Fischer - SRE"]
HOSTS = ["web-prod", "api-prod", "worker-prod", "db-prod", "bastion", "xfer", "metrics", "auth-prod", "queue-prod",
         "search-prod"]
IMAGES = ["api-gateway", "web-portal", "reporting-service", "billing-worker", "notification-service", "search-indexer"]
SERVICES = ["Customer Portal", "Public API", "Reporting", "Agency Data Exchange", "Internal", "All"]
VENDORS = ["Acme Backup Appliance 9.2 firmware", "Acme StoreGrid 7 controller firmware", "Contoso Edge Gateway 5.4",
           "Initech HSM firmware 3.1", "Globex Load Balancer 12.2"]
MILESTONE_TEXT = ["Confirm the finding and identify every affected asset.", "Open a change request and schedule the fix.",
                  "Apply the fix in the staging environment and run regression tests.",
                  "Deploy the fix to production in the approved change window.",
                  "Rescan the affected assets and attach the scan as evidence."]


def d(x):
    return x.isoformat()


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def folded(text, indent="  ", width=88):
    """A `>-` block scalar body, wrapped."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\n".join(indent + line for line in lines)


def q(s):
    """Quote a string for YAML when it needs it."""
    if any(c in s for c in ":#'\"[]{},&*!|>%@`") or s.strip() != s or s.lower() in ("yes", "no", "true", "false", "null", "~"):
        return "'" + s.replace("'", "''") + "'"
    return s


def make_item(n, rng):
    status = "closed" if rng.random() < 0.15 else "open"
    scenario = "clean"
    if status == "open":
        r = rng.random()
        scenario = ("overdue" if r < 0.05 else "due_soon" if r < 0.09 else "stale_status" if r < 0.13
                    else "milestone_overdue" if r < 0.17 else "vendor_stale" if r < 0.20
                    else "excused_vendor" if r < 0.26 else "excused_or" if r < 0.29 else "clean")
    pool = FINDINGS
    if scenario in ("vendor_stale", "excused_vendor"):
        pool = VENDOR_FINDINGS
    elif scenario == "excused_or":
        pool = NOT_HIGH_FINDINGS
    det, det_id, title, risk, controls, cves, desc, remed, port, vendor_ok = rng.choice(pool)
    if rng.random() < 0.1 and scenario != "excused_or":  # scanners disagree now and then
        risk = rng.choice(["low", "moderate", "high"])

    scanner = det in ("Nessus", "Qualys", "Trivy", "OWASP ZAP")
    eff = risk
    ra = fp = orq = vd = None
    if vendor_ok and (scenario in ("vendor_stale", "excused_vendor") or (scenario == "clean" and rng.random() < 0.3)):
        vd = {"product": rng.choice(VENDORS)}
    if vd and risk in ("high", "critical"):
        # a vendor dependency cannot stay High: FedRAMP requires a risk adjustment to Moderate
        ra = {"status": "approved", "adjusted_risk": "moderate", "auto_approved": risk == "high" and rng.random() < 0.3,
              "rationale": "Compensating controls: the affected interface is reachable only from the admin network "
                           "and is monitored by the SIEM; CVSS environmental score 5.9."}
        eff = "moderate"
    elif risk in ("high", "critical") and rng.random() < 0.12:
        st = rng.choice(["approved", "approved", "pending"])
        ra = {"status": st, "adjusted_risk": "moderate", "auto_approved": st == "approved" and risk == "high" and rng.random() < 0.5,
              "rationale": "The vulnerable code path is not reachable in our configuration; see the attached analysis."}
        if st == "approved":
            eff = "moderate"
    if scenario == "excused_or":
        orq = {"status": "approved",
               "rationale": "Remediation breaks a required agency integration; compensating controls restrict access "
                            "to the agency subnet and the requirement is reassessed monthly."}
    span = DAYS[eff]

    fix = None
    kev_due = None
    if status == "closed":
        detected = TODAY - dt.timedelta(days=rng.randint(40, 420))
        start = detected
        due = start + dt.timedelta(days=span - rng.randint(0, 5))
        closed_on = clamp(detected + dt.timedelta(days=rng.randint(5, span)), detected, min(due, TODAY))
    else:
        if scenario in ("overdue", "excused_vendor", "excused_or"):
            due_target = TODAY - dt.timedelta(days=rng.randint(1, 70))
        elif scenario == "due_soon":
            due_target = TODAY + dt.timedelta(days=rng.randint(0, SOON_DAYS))
        else:
            due_target = TODAY + dt.timedelta(days=rng.randint(SOON_DAYS + 1, max(SOON_DAYS + 2, span)))
        slack = rng.randint(0, 5)
        start = due_target - dt.timedelta(days=span - slack)
        due = due_target
        if vd and rng.random() < 0.25 and scenario not in ("vendor_stale", "excused_vendor") and start < TODAY:
            fix = start
            detected = fix - dt.timedelta(days=rng.randint(10, 120))
        else:
            detected = start
        if detected > TODAY:
            detected = TODAY
            due = min(due, detected + dt.timedelta(days=span))
        closed_on = None
        if eff in ("high", "critical") and not vd and rng.random() < 0.25 and due <= detected + dt.timedelta(days=30):
            kev_due = min(detected + dt.timedelta(days=30), due + dt.timedelta(days=rng.randint(0, 5)))
    if vd:
        if scenario == "vendor_stale":
            vd["last_checkin"] = TODAY - dt.timedelta(days=rng.randint(CHECKIN_DAYS + 1, CHECKIN_DAYS + 45))
        else:
            vd["last_checkin"] = TODAY - dt.timedelta(days=rng.randint(0, CHECKIN_DAYS - 2))
        vd["last_checkin"] = max(vd["last_checkin"], detected)
        if fix:
            vd["fix_released"] = fix

    # milestones: 3 or 4, dated between detection and due (or closing)
    end = closed_on or due
    count = rng.choice([3, 3, 4])
    length = max((end - detected).days, 0)
    offsets = sorted(rng.randint(0, length) for _ in range(count))
    texts = [MILESTONE_TEXT[i] for i in sorted(rng.sample(range(len(MILESTONE_TEXT)), count))]
    miles = [[i + 1, detected + dt.timedelta(days=o), texts[i]] for i, o in enumerate(offsets)]
    changes = []
    # an update that moves a milestone later, still within [detected, end]
    if rng.random() < 0.4:
        m = rng.choice(miles)
        moved = min(m[1] + dt.timedelta(days=rng.randint(3, 20)), end)
        if moved > m[1]:
            changes.append([m[0], "update", moved, "Moved to the next change window after a dependency slipped."])
            m.append(moved)  # effective date
    leave_open = scenario in ("milestone_overdue",) or (scenario == "overdue" and rng.random() < 0.5)
    past = [m for m in miles if (m[3] if len(m) > 3 else m[1]) < TODAY]
    for i, m in enumerate(past):
        eff_date = m[3] if len(m) > 3 else m[1]
        if leave_open and i == len(past) - 1 and status == "open":
            continue
        done = clamp(eff_date + dt.timedelta(days=rng.randint(0, 3)), detected, min(TODAY, end))
        changes.append([m[0], "complete", done, "Completed; evidence attached to the change record."])
    if status == "open" and due > TODAY and rng.random() < 0.3:
        new_date = TODAY + dt.timedelta(days=rng.randint(1, (due - TODAY).days))
        changes.append([count + 1, "new", new_date, "Added a verification rescan with the assessor."])
    changes.sort(key=lambda c: (c[2], ["update", "new", "complete"].index(c[1]), c[0]))

    if status == "closed":
        status_date = closed_on
    elif scenario == "stale_status" and (TODAY - detected).days > STALE_DAYS + 2:
        status_date = TODAY - dt.timedelta(days=rng.randint(STALE_DAYS + 1, min(90, (TODAY - detected).days)))
    else:
        status_date = max(detected, TODAY - dt.timedelta(days=rng.randint(0, STALE_DAYS - 5)))
    if status == "closed" and scanner and rng.random() < 0.2:
        fp = {"status": "approved",
              "rationale": "The scanner matched a version banner; the vendor backported the fix (see the package "
                           "changelog), and an authenticated rescan no longer reports the finding."}

    # ---- render
    host = rng.choice(HOSTS)
    if det == "Trivy":
        assets = [f"registry.example.internal/saas/{rng.choice(IMAGES)}:2026.{rng.randint(1, 11):02d}.{rng.randint(1, 9)} (container image)"]
    elif det.startswith("3PAO") and det_id == "none":
        assets = ["Okta tenant example-saas.okta.com"] if "account" in title.lower() else ["Splunk Cloud (SIEM)"]
    else:
        suffix = f" ({port})" if port else ""
        if vd:
            host = rng.choice(["backup-mgmt", "san-ctrl", "edge-gw", "hsm", "lb-mgmt"])
        assets = [f"{host}-{i:02d}.example.internal{suffix}" for i in range(1, rng.randint(2, 4) + 1)]

    out = [f"id: V-{n}", f"title: {q(title)}", "description: >-", folded(desc + (f" Found on {len(assets)} asset(s) in the {d(detected)[:7]} scan." if scanner
                  else " Reported in the assessor's findings.")),
           f"controls: [{', '.join(controls)}]", f"detector: {q(det)}",
           f"detector_id: {det_id}" if isinstance(det_id, int) else f"detector_id: {q(det_id)}", "assets:"]
    out += [f"  - {q(a)}" for a in assets]
    out.append(f"owner: {rng.choice(OWNERS)}")
    if rng.random() < 0.5:
        out.append(f"resources: {rng.randint(4, 40)} engineer hours; no additional funding.")
    out += ["remediation: >-", folded(remed + (" Verify with a rescan and attach the results to the item." if scanner
                   else " Provide the evidence to the 3PAO for validation.")),
            f"detected: {d(detected)}", f"due: {d(due)}", f"risk: {risk}", "milestones:"]
    for m in miles:
        out += [f"  - id: {m[0]}", f"    date: {d(m[1])}", f"    description: {q(m[2])}"]
    if changes:
        out.append("milestone_changes:")
        for c in changes:
            out += [f"  - milestone: {c[0]}", f"    kind: {c[1]}", f"    date: {d(c[2])}", f"    description: {q(c[3])}"]
    out += [f"status: {status}", f"status_date: {d(status_date)}"]
    if vd:
        out += ["vendor_dependency:", f"  product: {q(vd['product'])}", f"  last_checkin: {d(vd['last_checkin'])}"]
        if "fix_released" in vd:
            out.append(f"  fix_released: {d(vd['fix_released'])}")
    if ra or fp or orq:
        out.append("deviations:")
        if ra:
            out += ["  risk_adjustment:", f"    status: {ra['status']}", f"    adjusted_risk: {ra['adjusted_risk']}",
                    f"    auto_approved: {'true' if ra['auto_approved'] else 'false'}", "    rationale: >-",
                    folded(ra["rationale"], "      ")]
        if fp:
            out += ["  false_positive:", f"    status: {fp['status']}", "    rationale: >-", folded(fp["rationale"], "      ")]
        if orq:
            out += ["  operational_requirement:", f"    status: {orq['status']}", "    rationale: >-",
                    folded(orq["rationale"], "      ")]
    if kev_due:
        out.append(f"kev_due: {d(kev_due)}")
    if cves:
        out.append(f"cves: [{', '.join(cves)}]")
    out.append(f"services: [{rng.choice(SERVICES)}]")
    docs = [f"{{type: Scan Report, name: {det.split()[0].lower()}-{d(detected)[:7]}-monthly.zip}}"]
    if ra or fp or orq:
        docs.append(f"{{type: Deviation Request, name: DR-{detected.year}-{n:05d}.xlsx}}")
    if vd:
        docs.append(f"{{type: Vendor Correspondence, name: vendor-checkin-{d(vd['last_checkin'])}.pdf}}")
    out.append("documents:")
    out += [f"  - {x}" for x in docs]
    if vd and "fix_released" in vd:
        out.append(f"comments: Vendor released the fix on {d(vd['fix_released'])}; the deadline counts from that date.")
    elif rng.random() < 0.35:
        out.append(f"comments: Reviewed at the {d(status_date)[:7]} ConMon meeting with the AO.")
    if status == "closed":
        evidence = ("AO approved the false positive deviation request." if fp else
                    f"Authenticated rescan on {d(closed_on)} no longer reports the finding.")
        out += ["closed:", f"  date: {d(closed_on)}", f"  evidence: {evidence}"]
    return "\n".join(out) + "\n"


CONFIG = """\
# Synthetic POA&M generated by bench/gen_items.py (seed {seed}, {n} items).
system: {{csp: "Example Cloud Co.", name: "Example SaaS (benchmark)", impact: moderate}}
items: poams
due_soon_days: {soon}
vendor_checkin_days: {checkin}
stale_days: {stale}
"""


DOD_CONFIG = """\
# Synthetic DoD RMF POA&M generated by bench/gen_items.py --profile dod-rmf (seed {seed}, {n} items).
system: {{name: "Example Logistics Portal (benchmark)"}}
items: poams
profile: dod-rmf
deadlines: {{cat-i: 30, cat-ii: 180, cat-iii: 365}}
emass:
  exported_by: jdoe
  component: Navy
  registration_no: "12345"
  system_type: Major Application
  poc: Jane Doe
"""

CAT = {"critical": ("cat-i", "high"), "high": ("cat-i", "high"), "moderate": ("cat-ii", "moderate"),
       "low": ("cat-iii", "low")}
CAT_DAYS = {"cat-i": 30, "cat-ii": 180, "cat-iii": 365}
MILESTONE_STATUS = ["open", "in-progress"]


def make_dod_item(n, rng):
    """A DoD RMF weakness: Ongoing (most), Risk Accepted (5%) or Completed (15%)."""
    det, det_id, title, risk, controls, cves, desc, remed, port, _ = rng.choice(FINDINGS)
    cat, severity = CAT[risk]
    r = rng.random()
    kind = "completed" if r < 0.15 else "accepted" if r < 0.20 else "ongoing"
    detected = TODAY - dt.timedelta(days=rng.randint(1, CAT_DAYS[cat] + 60))
    due = detected + dt.timedelta(days=CAT_DAYS[cat])
    iava = None
    if cat == "cat-i" and rng.random() < 0.3:
        iava = (f"{detected.year}-A-{rng.randint(1, 300):04d}", detected + dt.timedelta(days=21))
        due = min(due, iava[1])
    owner = OWNERS[n % len(OWNERS)]
    name, team = owner.split(" - ")
    host = rng.choice(HOSTS)
    out = [f"id: V-{n}", f"title: {q(title)}", "description: >-", folded(desc),
           f"controls: [{', '.join(controls)}]", f"detector: {q(det)}", f"detector_id: {q(str(det_id))}",
           f"assets: [{host}-{n % 40:02d}.example.mil]", f"owner: {q(owner)}",
           "resources: Staff time within the current contract.", f"detected: {d(detected)}"]
    status_date = min(TODAY, detected + dt.timedelta(days=rng.randint(0, 20)))
    if kind != "accepted":
        out.append(f"due: {d(due)}")
        out.append("milestones:")
        steps = rng.randint(1, 3)
        for i in range(steps):
            when = detected + dt.timedelta(days=(CAT_DAYS[cat] * (i + 1)) // (steps + 1))
            when = min(when, due)
            status = "completed" if kind == "completed" else rng.choice(MILESTONE_STATUS)
            out += [f"  - id: {i + 1}", f"    date: {d(when)}", f"    description: {q(MILESTONE_TEXT[i])}",
                    f"    status: {status}"]
        if kind == "completed":
            out.append("milestone_changes:")
            for i in range(steps):
                out += [f"  - milestone: {i + 1}", "    kind: complete", f"    date: {d(status_date)}",
                        "    description: Done."]
    out += [f"status: {'closed' if kind == 'completed' else 'open'}", f"status_date: {d(status_date)}"]
    if kind == "accepted":
        out.append("comments: Accepted by the AO; compensating controls restrict access to the enclave.")
    if kind == "completed":
        out += ["comments: Verified by an authenticated re-scan.", "closed:", f"  date: {d(status_date)}",
                "  evidence: The re-scan no longer reports the finding."]
    out += ["rmf:", f"  raw_severity: {cat}", f"  severity: {severity}",
            "  identification_source: Vulnerability Management",
            f"  office_org: {q(team + ', ' + name + ', 555-0100, ' + name.split()[0].lower() + '@example.mil')}",
            f"  security_checks: [{q(str(det_id))}]"]
    if iava:
        out += ["  iava:", f"    id: {iava[0]}", f"    comply_by: {d(iava[1])}"]
    if kind == "accepted":
        accepted = detected + dt.timedelta(days=10)
        out += ["  risk_accepted:", f"    date: {d(accepted)}", f"    expires: {d(accepted + dt.timedelta(days=365))}"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("out_dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--profile", choices=["fedramp-rev5", "dod-rmf"], default="fedramp-rev5")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    items = os.path.join(args.out_dir, "poams")
    os.makedirs(items, exist_ok=True)
    dod = args.profile == "dod-rmf"
    with open(os.path.join(args.out_dir, "poam.yaml"), "w", encoding="utf-8", newline="\n") as fh:
        if dod:
            fh.write(DOD_CONFIG.format(seed=args.seed, n=args.n))
        else:
            fh.write(CONFIG.format(seed=args.seed, n=args.n, soon=SOON_DAYS, checkin=CHECKIN_DAYS, stale=STALE_DAYS))
    for n in range(1, args.n + 1):
        with open(os.path.join(items, f"V-{n}.yaml"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(make_dod_item(n, rng) if dod else make_item(n, rng))


if __name__ == "__main__":
    main()
