package render

func (p *Pipeline) DbgYears() (map[int]Key, int) {
	m := map[int]Key{}
	for y, s := range p.renderer.yearSplit.years {
		m[y] = s.key
	}
	return m, p.frontBuilds
}
