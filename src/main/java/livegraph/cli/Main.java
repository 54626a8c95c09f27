package livegraph.cli;

/** Placeholder entry point; replaced by the picocli command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("livegraph");
  }
}
