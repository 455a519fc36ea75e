package redact

import "strings"

// secretHints are the parts of a key name that mark its value as a
// credential: rclone's connection-string options (pass, password2, key,
// secret_access_key, session_token, client_secret, sas_url, …) and the query
// parameters cameras take credentials in (?pwd=, ?auth=, ?sig=).
var secretHints = []string{"pass", "pwd", "secret", "token", "key", "auth", "signature", "cred", "session", "cookie", "private", "sas"}

// IsSecretKey says whether a key's value is to be masked.
func IsSecretKey(k string) bool {
	k = strings.ToLower(k)
	if k == "sig" { // S3 presigned links; "signal" is not a secret
		return true
	}
	for _, h := range secretHints {
		if strings.Contains(k, h) {
			return true
		}
	}
	return false
}

// Keys masks the value of every KEY=VALUE whose key names a credential, as
// rclone writes connection strings (:webdav,user=u,pass=p:folder, values
// quoted with " or ' when they hold , or :, a quote doubled inside) and as
// URLs write queries (?user=u&password=p). An unquoted value runs to white
// space or a comma that starts the next key: a value with a ':' or
// '&' in it is masked whole, at the price of masking the folder or query
// that follows it too.
func Keys(s string) string { return mask(s, keySpans(s)) }

// keySpans are the credential values of s.
func keySpans(s string) []span {
	var out []span
	for from := 0; ; {
		i := strings.IndexByte(s[from:], '=')
		if i < 0 {
			return out
		}
		eq := from + i
		k := keyStart(s, eq)
		from = eq + 1
		if k == eq || !IsSecretKey(s[k:eq]) {
			continue
		}
		if end := valueEnd(s, eq+1); end > eq+1 {
			out = append(out, span{eq + 1, end})
			from = end
		}
	}
}

// keyStart walks back from '=' over the characters of a key name.
func keyStart(s string, eq int) int {
	j := eq
	for j > 0 && isKeyByte(s[j-1]) {
		j--
	}
	return j
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// valueEnd is where the value starting at from ends.
func valueEnd(s string, from int) int {
	if from < len(s) && (s[from] == '"' || s[from] == '\'') {
		return quotedEnd(s, from)
	}
	for i := from; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			return i
		case c == ',' && startsKey(s[i+1:]):
			return i
		}
	}
	return len(s)
}

// quotedEnd finds the closing quote (a doubled quote is one quote inside,
// as rclone reads it); with none, everything to the end is the value.
func quotedEnd(s string, open int) int {
	q := s[open]
	for i := open + 1; i < len(s); i++ {
		if s[i] != q {
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return len(s)
}

// startsKey: s begins with KEY= (the next option of a connection string).
func startsKey(s string) bool {
	n := 0
	for n < len(s) && isKeyByte(s[n]) {
		n++
	}
	return n > 0 && n < len(s) && s[n] == '='
}
