package container

import "strconv"

// quote quotes s for a message, Go syntax, at most 64 bytes of it.
func quote(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "..."
	}
	return strconv.Quote(s)
}
