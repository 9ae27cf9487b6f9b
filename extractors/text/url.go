package text

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// not a page. Keys are lower case.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "_ga": true, "_gl": true, "_hsenc": true,
	"_hsmi": true, "mkt_tok": true, "cmpid": true, "ocid": true, "smid": true, "smtyp": true,
	"ito": true, "ns_mchannel": true, "ns_source": true, "ns_campaign": true, "ns_linkname": true,
	"ns_fee": true, "sr_share": true, "at_medium": true, "at_campaign": true,
	"ref_src": true, "s_cid": true, "spm": true, "__twitter_impression": true,
}

// trackingPrefixes are prefixes of tracking parameter names.
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "hsa_", "vero_", "oly_", "wt."}

// CleanURL returns u in canonical form: scheme and host lower-cased, default
// ports and the fragment dropped, tracking parameters (utm_*, fbclid, gclid
// and the like) removed and the remaining query parameters sorted. It keeps
// the path as it is.
func CleanURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("clean url %q: %w", raw, err)
	}
	return cleanURL(u), nil
}

func cleanURL(u *url.URL) string {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	c.Host = strings.ToLower(c.Host)
	if (c.Scheme == "http" && strings.HasSuffix(c.Host, ":80")) || (c.Scheme == "https" && strings.HasSuffix(c.Host, ":443")) {
		c.Host = c.Host[:strings.LastIndexByte(c.Host, ':')]
	}
	c.Fragment, c.RawFragment = "", ""
	c.User = nil
	if c.Path == "" && c.Host != "" {
		c.Path = "/"
	}
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err == nil {
			for k := range q {
				if isTracking(k) {
					delete(q, k)
				}
			}
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for _, k := range keys {
				for _, v := range q[k] {
					if b.Len() > 0 {
						b.WriteByte('&')
					}
					b.WriteString(url.QueryEscape(k))
					if v != "" {
						b.WriteByte('=')
						b.WriteString(url.QueryEscape(v))
					}
				}
			}
			c.RawQuery = b.String()
		}
	}
	c.ForceQuery = false
	return c.String()
}

func isTracking(key string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// Source names the site of a URL: its host, lower case, without "www.".
func Source(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// canonicalFor picks the canonical URL of a page: the page's rel=canonical
// or og:url resolved against the page URL, unless it is missing, not http(s),
// or points at a site's front page while the page is not one (a common
// template mistake). The result is cleaned with CleanURL.
func canonicalFor(page *url.URL, declared string) string {
	if declared != "" {
		if d, err := page.Parse(strings.TrimSpace(declared)); err == nil &&
			(d.Scheme == "http" || d.Scheme == "https") && d.Host != "" {
			front := d.Path == "" || d.Path == "/"
			pageFront := page.Path == "" || page.Path == "/"
			if !front || pageFront || page.Scheme == "file" || page.Host == "" {
				return cleanURL(d)
			}
		}
	}
	return cleanURL(page)
}
