/// A flow network in compressed adjacency form, holding residual capacities.
///
/// The arcs leaving node v are `first[v]..<first[v + 1]`: the ones added from v first, then the
/// reverse arcs of those added into v. Each arc knows its partner in
/// the opposite direction, whose residual capacity grows by what the arc carries.
public struct ResidualNetwork: Sendable {
    /// An arc as it is added: from `tail` to `head`, carrying at most `capacity` units.
    public struct Arc: Sendable {
        /// Node the arc leaves.
        public var tail: Int32
        /// Node the arc enters.
        public var head: Int32
        /// Most units the arc carries.
        public var capacity: Int32

        /// Creates an arc from `tail` to `head` that carries at most `capacity` units.
        public init(tail: Int32, head: Int32, capacity: Int32) {
            self.tail = tail
            self.head = head
            self.capacity = capacity
        }
    }

    /// Number of nodes, numbered from 0.
    public let nodeCount: Int
    let first: [Int32]
    /// The reverse arcs of node v start at `firstReverse[v]`.
    let firstReverse: [Int32]
    let head: [Int32]
    let partner: [Int32]
    var residual: [Int32]
    /// Position of the i-th added arc; its partner starts with residual capacity 0.
    let position: [Int32]

    /// Number of arcs added (reverse arcs not counted).
    public var arcCount: Int { position.count }

    /// Builds the network of `nodeCount` nodes and `arcs`, each with its full capacity residual.
    public init(nodeCount: Int, arcs: [Arc]) {
        precondition(2 * arcs.count < Int(Int32.max), "too many arcs")
        var first = [Int32](repeating: 0, count: nodeCount + 1)
        var outDegree = [Int32](repeating: 0, count: nodeCount)
        for arc in arcs {
            first[Int(arc.tail) + 1] += 1
            first[Int(arc.head) + 1] += 1
            outDegree[Int(arc.tail)] += 1
        }
        for node in 0..<nodeCount {
            first[node + 1] += first[node]
        }
        var cursor = Array(first.dropLast())
        let firstReverse = (0..<nodeCount).map { first[$0] + outDegree[$0] }
        var reverseCursor = firstReverse
        var head = [Int32](repeating: 0, count: 2 * arcs.count)
        var partner = head
        var residual = head
        var position = [Int32](repeating: 0, count: arcs.count)
        for (index, arc) in arcs.enumerated() {
            let forward = cursor[Int(arc.tail)]
            cursor[Int(arc.tail)] += 1
            let backward = reverseCursor[Int(arc.head)]
            reverseCursor[Int(arc.head)] += 1
            head[Int(forward)] = arc.head
            head[Int(backward)] = arc.tail
            partner[Int(forward)] = backward
            partner[Int(backward)] = forward
            residual[Int(forward)] = arc.capacity
            position[index] = forward
        }
        self.nodeCount = nodeCount
        self.first = first
        self.firstReverse = firstReverse
        self.head = head
        self.partner = partner
        self.residual = residual
        self.position = position
    }

    /// Units an added arc carries: what its partner could send back.
    public func flow(onArc index: Int) -> Int32 {
        residual[Int(partner[Int(position[index])])]
    }

    /// Sets the capacity of an added arc that carries nothing yet.
    public mutating func setCapacity(ofArc index: Int, to capacity: Int32) {
        precondition(flow(onArc: index) == 0, "the arc carries flow")
        residual[Int(position[index])] = capacity
    }

    /// Raises the capacity of an added arc by `amount`.
    public mutating func raiseCapacity(ofArc index: Int, by amount: Int32) {
        residual[Int(position[index])] += amount
    }

    /// Sends `amount` along the arc at `arc`.
    mutating func push(_ amount: Int32, along arc: Int) {
        residual[arc] -= amount
        residual[Int(partner[arc])] += amount
    }

    /// Augments the current flow to a maximum flow from `source` to `sink` (Dinic's algorithm:
    /// breadth-first layers, then blocking paths found depth first) and returns the units added.
    public mutating func augmentToMaximumFlow(from source: Int, to sink: Int) -> Int {
        var added = 0
        var layer = [Int32](repeating: -1, count: nodeCount)
        var queue = [Int32]()
        queue.reserveCapacity(nodeCount)
        var current = [Int32](repeating: 0, count: nodeCount)
        var path = [Int32]()
        while true {
            layer.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            layer[source] = 0
            queue.removeAll(keepingCapacity: true)
            queue.append(Int32(source))
            var read = 0
            while read < queue.count, layer[sink] < 0 {
                let node = Int(queue[read])
                read += 1
                for arc in Int(first[node])..<Int(first[node + 1]) where residual[arc] > 0 {
                    let next = Int(head[arc])
                    if layer[next] < 0 {
                        layer[next] = layer[node] + 1
                        queue.append(Int32(next))
                    }
                }
            }
            guard layer[sink] >= 0 else { return added }
            for node in 0..<nodeCount {
                current[node] = first[node]
            }
            var node = source
            path.removeAll(keepingCapacity: true)
            while true {
                if node == sink {
                    var amount = Int32.max
                    for arc in path {
                        amount = min(amount, residual[Int(arc)])
                    }
                    for arc in path {
                        push(amount, along: Int(arc))
                    }
                    added += Int(amount)
                    path.removeAll(keepingCapacity: true)
                    node = source
                    continue
                }
                var advanced = false
                while current[node] < first[node + 1] {
                    let arc = Int(current[node])
                    let next = Int(head[arc])
                    if residual[arc] > 0, layer[next] == layer[node] + 1 {
                        path.append(Int32(arc))
                        node = next
                        advanced = true
                        break
                    }
                    current[node] += 1
                }
                if advanced { continue }
                if node == source { break }
                // A dead end for this phase: retreat one step and skip the arc that led here.
                layer[node] = -1
                let arc = Int(path.removeLast())
                node = Int(head[Int(partner[arc])])
                current[node] += 1
            }
        }
    }
}
