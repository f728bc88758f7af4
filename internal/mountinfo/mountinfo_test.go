package mountinfo

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	data := "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n" +
		"25 22 0:21 / /run rw,nosuid shared:5 master:1 - tmpfs tmpfs rw,mode=755\n" +
		"30 25 0:30 /user.slice /run/a\\040b\\134c rw - cgroup cgroup rw,xattr,name=systemd\n" +
		"31 25 0:31 / /run/odd\\09 rw - tmpfs\n" +
		"no separator here\n" +
		"32 25 0:32 / - tmpfs none rw\n" +
		"\n"
	want := []Mount{
		{Dev: "8:1", Root: "/", MountPoint: "/", FSType: "ext4", Source: "/dev/sda1", SuperOptions: "rw,errors=remount-ro"},
		{Dev: "0:21", Root: "/", MountPoint: "/run", FSType: "tmpfs", Source: "tmpfs", SuperOptions: "rw,mode=755"},
		{Dev: "0:30", Root: "/user.slice", MountPoint: `/run/a b\c`, FSType: "cgroup", Source: "cgroup", SuperOptions: "rw,xattr,name=systemd"},
		{Dev: "0:31", Root: "/", MountPoint: `/run/odd\09`, FSType: "tmpfs"},
	}
	got := Parse(data)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse:\n got %+v\nwant %+v", got, want)
	}
	if !got[2].HasSuperOption("name=systemd") || got[2].HasSuperOption("name") || got[0].HasSuperOption("rw,errors") {
		t.Errorf("HasSuperOption: wrong for %q", got[2].SuperOptions)
	}
}
