import Foundation

/// A multinomial logistic regression over word, word-pair and character-trigram features,
/// trained at start-up from the catalogue's utterances. Deterministic: fixed example order,
/// no randomness. Word pairs carry word order; character trigrams make typos
/// ("tickts", "escalatoins") land near the right words.
struct TextClassifier: Sendable {
    private let labels: [IntentName]
    private let vocabulary: [String: Int]
    private let idf: [Double]
    /// weights[label][feature]
    private let weights: [[Double]]
    private let bias: [Double]

    init(examples: [(text: String, label: IntentName)], epochs: Int = 30, learningRate: Double = 0.8, l2: Double = 1e-5) {
        let labels = IntentName.allCases
        var vocabulary: [String: Int] = [:]
        var documentFrequency: [Int] = []
        let featureLists = examples.map { Self.features(of: $0.text) }
        for features in featureLists {
            for feature in Set(features.keys) {
                if let index = vocabulary[feature] { documentFrequency[index] += 1 } else {
                    vocabulary[feature] = documentFrequency.count
                    documentFrequency.append(1)
                }
            }
        }
        let count = Double(examples.count)
        let idf = documentFrequency.map { log((1 + count) / (1 + Double($0))) + 1 }
        let vectors = featureLists.map { Self.vector($0, vocabulary: vocabulary, idf: idf) }
        let targets = examples.map { example in labels.firstIndex(of: example.label)! }

        var weights = Array(repeating: Array(repeating: 0.0, count: idf.count), count: labels.count)
        var bias = Array(repeating: 0.0, count: labels.count)
        for epoch in 0..<epochs {
            let rate = learningRate / (1 + Double(epoch) * 0.1)
            for (vector, target) in zip(vectors, targets) {
                let probabilities = Self.softmax(Self.scores(vector, weights: weights, bias: bias))
                for label in 0..<labels.count {
                    let gradient = probabilities[label] - (label == target ? 1 : 0)
                    bias[label] -= rate * gradient
                    for (index, value) in vector {
                        weights[label][index] -= rate * (gradient * value + l2 * weights[label][index])
                    }
                }
            }
        }
        self.labels = labels
        self.vocabulary = vocabulary
        self.idf = idf
        self.weights = weights
        self.bias = bias
    }

    /// Every intent with its probability, most likely first; empty when no feature is known.
    func classify(_ text: String) -> [ScoredIntent] {
        let vector = Self.vector(Self.features(of: text), vocabulary: vocabulary, idf: idf)
        guard !vector.isEmpty else { return [] }
        let probabilities = Self.softmax(Self.scores(vector, weights: weights, bias: bias))
        return zip(labels, probabilities).map { ScoredIntent(intent: $0, confidence: $1) }.sorted { $0.confidence > $1.confidence }
    }

    static func features(of text: String) -> [String: Double] {
        var features: [String: Double] = [:]
        let words = text.split(separator: " ").map { stem(String($0)) }
        for (index, word) in words.enumerated() {
            features["w:" + word, default: 0] += 1
            if index + 1 < words.count { features["b:" + word + " " + words[index + 1], default: 0] += 1 }
            guard !word.hasPrefix("qq"), word.count > 2 else { continue }
            let characters = Array("<" + word + ">")
            for start in 0...(characters.count - 3) {
                features["c:" + String(characters[start..<start + 3]), default: 0] += 0.3
            }
        }
        if let first = words.first { features["f:" + first, default: 0] += 1 }
        return features
    }

    /// Light stemming so "tickets"/"ticket" and "escalated"/"escalations" share features.
    static func stem(_ word: String) -> String {
        var word = word
        if word.hasSuffix("'s") { word.removeLast(2) }
        for suffix in ["ations", "ation", "ings", "ing", "ed", "es", "s"] where word.count > suffix.count + 3 && word.hasSuffix(suffix) {
            if suffix == "s" && word.hasSuffix("ss") { continue }
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    static func vector(_ features: [String: Double], vocabulary: [String: Int], idf: [Double]) -> [(Int, Double)] {
        var vector: [(Int, Double)] = []
        for (feature, count) in features {
            guard let index = vocabulary[feature] else { continue }
            vector.append((index, (1 + log(count + 1)) * idf[index]))
        }
        let norm = vector.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
        guard norm > 0 else { return [] }
        return vector.map { ($0.0, $0.1 / norm) }.sorted { $0.0 < $1.0 }
    }

    static func scores(_ vector: [(Int, Double)], weights: [[Double]], bias: [Double]) -> [Double] {
        (0..<weights.count).map { label in
            vector.reduce(bias[label]) { $0 + weights[label][$1.0] * $1.1 }
        }
    }

    static func softmax(_ scores: [Double]) -> [Double] {
        let top = scores.max() ?? 0
        let exps = scores.map { exp($0 - top) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
