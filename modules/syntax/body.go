package syntax

// A Body is what a module or a block holds: its attributes and its
// blocks, each in source order. No two attributes have one name.
type Body struct {
	Attrs  []Attribute
	Blocks []Block
}

// Attr returns the attribute name, or nil when the body has none.
func (b *Body) Attr(name string) *Attribute {
	for i := range b.Attrs {
		if b.Attrs[i].Name == name {
			return &b.Attrs[i]
		}
	}
	return nil
}

// An Item is an attribute or a block of a body: one of the two is set.
type Item struct {
	Attr  *Attribute
	Block *Block
}

// AppendItems appends b's attributes and blocks to buf, in source order
// (the two lists merged by where each starts), and returns the result.
func (b *Body) AppendItems(buf []Item) []Item {
	as, bs := b.Attrs, b.Blocks
	for len(as) > 0 || len(bs) > 0 {
		if len(bs) == 0 || (len(as) > 0 && as[0].NameSpan.Start.Byte < bs[0].TypeSpan.Start.Byte) {
			buf = append(buf, Item{Attr: &as[0]})
			as = as[1:]
		} else {
			buf = append(buf, Item{Block: &bs[0]})
			bs = bs[1:]
		}
	}
	return buf
}
