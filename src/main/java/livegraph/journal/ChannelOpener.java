package livegraph.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a new segment file for writing; injected so a test can make writes fail as a full disk
 * does (an {@link IOException} from {@code write} or {@code force}).
 */
@FunctionalInterface
public interface ChannelOpener {

  /** Creates {@code file}, which must not exist, open for writing. */
  FileChannel create(Path file) throws IOException;

  /** The file system's own channels. */
  static ChannelOpener files() {
    return file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }
}
