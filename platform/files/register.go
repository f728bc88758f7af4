package files

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "files", Rank: 50, Config: configWithHomeFiles, Validate: (*Config).validate, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("file.link", func() platform.Op { return &LinkOp{} })
	platform.RegisterOp("file.write", func() platform.Op { return &WriteOp{} })
	platform.RegisterOp("file.remove", func() platform.Op { return &RemoveOp{} })
	platform.RegisterOp("file.restore", func() platform.Op { return &RestoreOp{} })
	platform.RegisterOp("file.attr", func() platform.Op { return &AttrOp{} })
	platform.RegisterOp("dir.make", func() platform.Op { return &MkdirOp{} })
	platform.RegisterOp("dir.remove", func() platform.Op { return &RmdirOp{} })
	platform.RegisterOp("file.check", func() platform.Op { return &CheckOp{} })
	platform.RegisterOp("file.keep-edited", func() platform.Op { return &KeepEditedOp{} })
	platform.RegisterOp("skel.aside", func() platform.Op { return &SkelOp{} })
	platform.RegisterOp("store.area.guard", func() platform.Op { return &AreaOp{} })
}
