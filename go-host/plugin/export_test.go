package plugin

import "github.com/binpipe/binpipe/go-host/internal/pool"

// PoolStats exposes the instance pool's counters to the tests.
func (p *Plugin) PoolStats() pool.Stats { return p.pool.Stats() }
