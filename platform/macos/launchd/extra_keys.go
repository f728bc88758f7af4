package launchd

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A valueKind is the type launchd.plist(5) gives a key.
type valueKind int

const (
	kindString valueKind = iota + 1
	kindInteger
	kindBool
	kindStrings         // an array of strings
	kindStringOrStrings // a string or an array of strings
	kindCalendar        // a calendar dictionary, or an array of them
	kindLimits          // a dictionary of integers
	kindProcessType     // one of processTypes
)

// extraKinds are the launchd.plist keys whose type launchd documents
// and gocfg checks in `extra`: launchd reads a key of the wrong type as
// absent, or refuses the whole job at bootstrap ("Bootstrap failed: 5:
// Input/output error"), on the Mac, long after the plan (tester O:
// StartInterval = "1800", Hour = 25). A key not listed (Sockets,
// MachServices, newer keys) is written as given.
var extraKinds = map[string]valueKind{
	"Program": kindString, "UserName": kindString, "GroupName": kindString,
	"WorkingDirectory": kindString, "RootDirectory": kindString,
	"StandardInPath": kindString, "StandardOutPath": kindString, "StandardErrorPath": kindString,
	"StartInterval": kindInteger, "ThrottleInterval": kindInteger, "ExitTimeOut": kindInteger,
	"TimeOut": kindInteger, "Nice": kindInteger, "Umask": kindInteger,
	"Disabled": kindBool, "EnableGlobbing": kindBool, "EnableTransactions": kindBool,
	"AbandonProcessGroup": kindBool, "LowPriorityIO": kindBool, "LowPriorityBackgroundIO": kindBool,
	"StartOnMount": kindBool, "Debug": kindBool, "WaitForDebugger": kindBool, "InitGroups": kindBool,
	"LaunchOnlyOnce": kindBool, "SessionCreate": kindBool,
	"WatchPaths": kindStrings, "QueueDirectories": kindStrings, "AssociatedBundleIdentifiers": kindStringOrStrings,
	"LimitLoadToSessionType": kindStringOrStrings,
	"StartCalendarInterval":  kindCalendar,
	"SoftResourceLimits":     kindLimits, "HardResourceLimits": kindLimits,
	"ProcessType": kindProcessType,
}

// calendarRanges are the keys of a StartCalendarInterval dictionary and
// the values each takes (Weekday 0 and 7 are both Sunday).
var calendarRanges = map[string][2]int64{"Minute": {0, 59}, "Hour": {0, 23}, "Day": {1, 31}, "Weekday": {0, 7}, "Month": {1, 12}}

var processTypes = []string{"Background", "Standard", "Adaptive", "Interactive"}

// checkExtra says what is wrong with the value v of the extra key k, ""
// when nothing (or when gocfg does not know the key).
func checkExtra(k string, v any) string {
	switch extraKinds[k] {
	case kindString:
		return want(isString(v), "a string", v)
	case kindInteger:
		return want(isInteger(v), "a whole number", v)
	case kindBool:
		return want(isBool(v), "true or false", v)
	case kindStrings:
		return want(isStrings(v), "a list of strings", v)
	case kindStringOrStrings:
		return want(isString(v) || isStrings(v), "a string or a list of strings", v)
	case kindProcessType:
		s, ok := v.(string)
		if ok && slices.Contains(processTypes, s) {
			return ""
		}
		return fmt.Sprintf("want one of %s, got %s", strings.Join(processTypes, ", "), shown(v))
	case kindLimits:
		m, ok := v.(map[string]any)
		if !ok {
			return "want an object of whole numbers, such as { NumberOfFiles = 4096 }, got " + shown(v)
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			if !isInteger(m[name]) {
				return fmt.Sprintf("%s: want a whole number, got %s", name, shown(m[name]))
			}
		}
	case kindCalendar:
		if list, ok := v.([]any); ok {
			for i, e := range list {
				if why := checkCalendar(e); why != "" {
					return fmt.Sprintf("[%d]: %s", i, why)
				}
			}
			return ""
		}
		return checkCalendar(v)
	}
	return ""
}

// checkCalendar checks one StartCalendarInterval dictionary.
func checkCalendar(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return "want an object such as { Hour = 4, Minute = 30 } (or a list of them), got " + shown(v)
	}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		r, known := calendarRanges[name]
		if !known {
			return fmt.Sprintf("%s: not a calendar key; use Minute, Hour, Day, Weekday or Month", name)
		}
		n, ok := m[name].(int64)
		if !ok || n < r[0] || n > r[1] {
			return fmt.Sprintf("%s: want a whole number from %d to %d, got %s", name, r[0], r[1], shown(m[name]))
		}
	}
	return ""
}

func want(ok bool, what string, v any) string {
	if ok {
		return ""
	}
	return "want " + what + ", got " + shown(v)
}

// shown is a value in an error: a string quoted (so that "1800" shows
// as the string it is), a number or bool as written, else its kind.
func shown(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", t)
	case int64, uint64, float64, bool:
		return fmt.Sprint(t)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func isString(v any) bool { _, ok := v.(string); return ok }
func isBool(v any) bool   { _, ok := v.(bool); return ok }

func isInteger(v any) bool {
	switch v.(type) {
	case int64, uint64:
		return true
	}
	return false
}

func isStrings(v any) bool {
	list, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range list {
		if !isString(e) {
			return false
		}
	}
	return true
}
