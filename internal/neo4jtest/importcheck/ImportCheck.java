import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;

/**
 * Runs `neo4j-admin database import full ARGS...` with HOME as the Neo4j
 * home, so that the test launcher started on HOME serves the imported
 * database. Usage: java ... ImportCheck HOME ARGS...
 */
public final class ImportCheck {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        if (!Files.exists(conf.resolve("neo4j.conf"))) {
            Files.writeString(conf.resolve("neo4j.conf"), "");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        String[] cmd = new String[3 + rest.length];
        cmd[0] = "database";
        cmd[1] = "import";
        cmd[2] = "full";
        System.arraycopy(rest, 0, cmd, 3, rest.length);
        int code = AdminTool.execute(new ExecutionContext(home, conf), cmd);
        System.exit(code);
    }
}
