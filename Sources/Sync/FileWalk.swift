import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files under a folder that a source reads, the folders to watch, and what could not be read, found with
/// `opendir`/`lstat` (every failure keeps its system reason). Symbolic links to files are followed, links to
/// folders are not (no loops); a missing root is no files and no problem.
struct FileWalk {
    var files: [String] = []
    var folders: [String] = []
    var problems: [(path: String, reason: String)] = []

    /// Folders deeper than this are not entered (a hostile tree).
    static let maxDepth = 24

    init(root: String, wants: (String) -> Bool) {
        guard Self.kind(root) == .folder else { return }
        walk(root, depth: 0, wants: wants)
        files.sort()
    }

    enum Kind: Equatable { case file, folder, missing(String), other }

    /// What is at `path`, links followed.
    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing(String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    private mutating func walk(_ dir: String, depth: Int, wants: (String) -> Bool) {
        guard let d = opendir(dir) else { problems.append((dir, String(cString: strerror(errno)))); return }
        folders.append(dir)
        var entries: [(name: String, valid: Bool)] = []
        while let e = readdir(d) {
            let bytes = withUnsafeBytes(of: e.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            let name = String(decoding: bytes, as: UTF8.self)
            if name != "." && name != ".." { entries.append((name, Array(name.utf8) == bytes)) }
        }
        closedir(d)
        for (name, valid) in entries.sorted(by: { $0.name < $1.name }) {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            // A name that is not UTF-8 cannot be opened through a Swift string.
            guard valid else { if wants(path) { problems.append((path, "file name is not UTF-8")) }; continue }
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }  // gone since the listing
            let isLink = st.st_mode & S_IFMT == S_IFLNK
            if st.st_mode & S_IFMT == S_IFDIR {
                if wants(path) { problems.append((path, "is a folder")); continue }
                if depth < Self.maxDepth { walk(path, depth: depth + 1, wants: wants) }
                continue
            }
            guard wants(path) else { continue }
            switch isLink ? Self.kind(path) : (st.st_mode & S_IFMT == S_IFREG ? .file : .other) {
            case .file: files.append(path)
            case .folder: problems.append((path, "is a link to a folder"))
            case .missing(let reason): problems.append((path, reason))
            case .other: problems.append((path, "not a regular file"))
            }
        }
    }
}
