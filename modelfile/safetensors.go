package modelfile

import (
	"fmt"

	"github.com/lifeguard-dev/lifeguard/jsonpos"
	"github.com/lifeguard-dev/lifeguard/segment"
	"github.com/lifeguard-dev/lifeguard/structured"
)

// Safetensors returns the string values of a safetensors header's
// __metadata__ object (key path __metadata__.wandb_api_key). Tensor entries
// hold only dtypes, shapes and offsets and are not scanned.
func Safetensors(data []byte) ([]segment.Segment, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("safetensors: %d bytes is too short", len(data))
	}
	n := le64(data)
	if n > MaxHeader || n+8 > uint64(len(data)) {
		return nil, fmt.Errorf("safetensors: header length %d is out of bounds", n)
	}
	hdr := data[8 : 8+n]
	// The header may be padded with spaces to align the tensor data.
	end := len(hdr)
	for end > 0 && hdr[end-1] == ' ' {
		end--
	}
	root, err := jsonpos.Parse(hdr[:end])
	if err != nil {
		return nil, fmt.Errorf("safetensors header: %w", err)
	}
	if root.Kind != jsonpos.Object {
		return nil, fmt.Errorf("safetensors header is a JSON %s, not an object", root.Kind)
	}
	meta := root.Get("__metadata__")
	if meta == nil {
		return nil, nil
	}
	return structured.JSONValue(hdr[:end], meta, 8, "__metadata__", KindSafetensors), nil
}
