package generations

import "errors"

// ErrCurrent is wrapped by the error of Store.Delete for the current
// generation, which is never deleted.
var ErrCurrent = errors.New("is the current generation")
